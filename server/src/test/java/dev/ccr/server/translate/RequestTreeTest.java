package dev.ccr.server.translate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ccr.server.config.Provider;
import dev.ccr.server.json.Json;
import dev.ccr.server.translate.gemini.GeminiRequestTranslator;
import dev.ccr.server.translate.openai.OpenAiRequestTranslator;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Copying long strings as their original bytes must mean exactly what re-escaping the decoded text means. */
class RequestTreeTest {
    /** Every kind of escape JSON has, written the ways clients write them, in strings long enough to be copied raw. */
    private static final String TRICKY = "quote \\\" backslash \\\\ slash \\/ newline \\n tab \\t control \\u0001"
            + " e-acute \\u00e9 and é, emoji 😀 and \\ud83d\\ude00, html </script> & <b>, long enough to be raw";

    private static final String REQUEST =
            """
            {"model":"m","max_tokens":10,
             "system":[{"type":"text","text":"%1$s"},{"type":"text","text":"%1$s"}],
             "tools":[{"name":"T","description":"%1$s","input_schema":{"type":"object","properties":{"a":{"type":"string","description":"%1$s"}}}}],
             "messages":[
               {"role":"user","content":"%1$s"},
               {"role":"assistant","content":[{"type":"thinking","thinking":"%1$s","signature":"s"},{"type":"text","text":"%1$s"},
                 {"type":"tool_use","id":"t1","name":"T","input":{"a":"%1$s"}}]},
               {"role":"user","content":[{"type":"tool_result","tool_use_id":"t1","is_error":true,"content":[{"type":"text","text":"%1$s"},{"type":"text","text":"%1$s"}]},
                 {"type":"image","source":{"type":"base64","media_type":"image/png","data":"%2$s"}},
                 {"type":"document","source":{"type":"text","media_type":"text/plain","data":"%1$s"}}]},
               {"role":"system","content":"%1$s"}]}
            """
                    .formatted(TRICKY, "QUJD".repeat(40));

    @Test
    void rawCopiesTranslateExactlyLikeDecodedText() throws Exception {
        byte[] body = REQUEST.getBytes(StandardCharsets.UTF_8);
        JsonNode raw = RequestTree.parse(body);
        JsonNode decoded = Json.MAPPER.readTree(body);
        assertThat(raw).isEqualTo(decoded);
        assertThat(raw.at("/messages/0/content")).isInstanceOf(RequestTree.RawText.class);
        // Serialised to characters (no bytes to copy) and to bytes, the tree is the same document.
        assertThat(json(Json.write(raw).getBytes(StandardCharsets.UTF_8))).isEqualTo(decoded);
        assertThat(json(Json.writeBytes(raw))).isEqualTo(decoded);
        assertThat(raw.at("/messages/0/content").asText())
                .isEqualTo(decoded.at("/messages/0/content").asText());

        JsonNode openAiRaw = json(OpenAiRequestTranslator.translate(raw, "m", true, Provider.GLM.preset())
                .getBytes());
        JsonNode openAiDecoded = json(OpenAiRequestTranslator.translate(decoded, "m", true, Provider.GLM.preset())
                .getBytes());
        assertThat(openAiRaw).isEqualTo(openAiDecoded);
        assertThat(openAiRaw.at("/messages/0/content").asText())
                .isEqualTo(decoded.at("/system/0/text").asText() + "\n\n"
                        + decoded.at("/system/1/text").asText());
        assertThat(openAiRaw.at("/messages/3/content").asText()).startsWith("Error: quote \" backslash \\ slash /");

        JsonNode geminiRaw = json(
                GeminiRequestTranslator.translate(raw, Provider.GEMINI.preset()).getBytes());
        JsonNode geminiDecoded = json(GeminiRequestTranslator.translate(decoded, Provider.GEMINI.preset())
                .getBytes());
        assertThat(geminiRaw).isEqualTo(geminiDecoded);
        assertThat(geminiRaw.at("/contents/0/parts/0/text").asText()).contains("emoji 😀 and 😀");
    }

    private static JsonNode json(byte[] bytes) throws Exception {
        return Json.MAPPER.readTree(bytes);
    }
}
