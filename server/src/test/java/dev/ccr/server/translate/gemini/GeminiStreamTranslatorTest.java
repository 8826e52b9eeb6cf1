package dev.ccr.server.translate.gemini;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ccr.server.json.Json;
import dev.ccr.server.sse.SseEvent;
import dev.ccr.server.testing.TestEndpoints;
import dev.ccr.server.translate.MessageAssembler;
import dev.ccr.server.translate.SseEvents;
import dev.ccr.server.translate.TranslationContext;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Gemini parts and chunks that carry two things at once: text and a thought signature, a function call and its
 * signature, content with the finish reason and the usage. Nothing of the answer may be lost or split, and the
 * signature must sit where the way back puts it on the same part again.
 */
class GeminiStreamTranslatorTest {
    private final MessageAssembler message = new MessageAssembler();
    private final GeminiStreamTranslator translator = new GeminiStreamTranslator(
            message, new TranslationContext(TestEndpoints.of("gemini"), "gemini-x", "msg_1", 7, List.of()));

    private void feed(String parts, String finish) {
        translator.accept(new SseEvent(
                null,
                "{\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":" + parts + "}"
                        + (finish == null ? "" : ",\"finishReason\":\"" + finish + "\"") + "}],"
                        + "\"usageMetadata\":{\"promptTokenCount\":11,\"candidatesTokenCount\":3}}"));
    }

    private JsonNode content() {
        translator.end();
        return message.message().path("content");
    }

    private static String texts(JsonNode content) {
        StringBuilder out = new StringBuilder();
        content.forEach(block -> out.append(block.path("text").asText("")));
        return out.toString();
    }

    @Test
    void theFirstPartAfterTheThoughtsKeepsItsTextAndSignsTheThoughts() {
        feed("[{\"text\":\"Let me think.\",\"thought\":true}]", null);
        feed("[{\"text\":\"Hello \",\"thoughtSignature\":\"sig-1\"}]", null);
        feed("[{\"text\":\"from the mock upstream.\"}]", "STOP");

        JsonNode content = content();
        assertThat(content).hasSize(2);
        assertThat(content.get(0).path("type").asText()).isEqualTo("thinking");
        assertThat(content.get(0).path("thinking").asText()).isEqualTo("Let me think.");
        assertThat(content.get(0).path("signature").asText()).isEqualTo("sig-1");
        // One text block with the whole answer: Claude Code shows the last text block as the answer.
        assertThat(content.get(1).path("text").asText()).isEqualTo("Hello from the mock upstream.");
    }

    @Test
    void textAndSignatureWithoutThoughtsPutTheSignatureJustBeforeTheText() {
        feed("[{\"text\":\"Hello \",\"thoughtSignature\":\"sig-1\"},{\"text\":\"world\"}]", "STOP");

        JsonNode content = content();
        assertThat(content).hasSize(2);
        assertThat(content.get(0).path("signature").asText()).isEqualTo("sig-1");
        assertThat(content.get(1).path("text").asText()).isEqualTo("Hello world");
    }

    @Test
    void aSignatureOnTextThatContinuesFollowsTheWholeTextBlock() {
        feed("[{\"text\":\"Hello \"}]", null);
        feed("[{\"text\":\"wor\",\"thoughtSignature\":\"sig-last\"}]", null);
        feed("[{\"text\":\"ld\"}]", "STOP");

        JsonNode content = content();
        assertThat(content).hasSize(2);
        assertThat(content.get(0).path("text").asText()).isEqualTo("Hello world");
        assertThat(content.get(1).path("type").asText()).isEqualTo("thinking");
        assertThat(content.get(1).path("signature").asText()).isEqualTo("sig-last");
    }

    @Test
    void aTrailingEmptyPartWithTheSignatureAddsNoText() {
        feed("[{\"text\":\"All done.\"}]", null);
        feed("[{\"text\":\"\",\"thoughtSignature\":\"sig-end\"}]", "STOP");

        JsonNode content = content();
        assertThat(texts(content)).isEqualTo("All done.");
        assertThat(content.get(content.size() - 1).path("signature").asText()).isEqualTo("sig-end");
    }

    @Test
    void textThenAFunctionCallWithItsSignatureInOneChunkKeepBoth() {
        feed(
                "[{\"text\":\"I will list the files.\"},"
                        + "{\"functionCall\":{\"name\":\"Bash\",\"args\":{\"command\":\"ls\"}},\"thoughtSignature\":\"sig-call\"}]",
                "STOP");

        JsonNode content = content();
        assertThat(content).hasSize(3);
        assertThat(content.get(0).path("text").asText()).isEqualTo("I will list the files.");
        assertThat(content.get(1).path("signature").asText()).isEqualTo("sig-call");
        assertThat(content.get(2).path("name").asText()).isEqualTo("Bash");
        assertThat(content.get(2).path("input")).isEqualTo(Json.object().put("command", "ls"));
        assertThat(message.message().path("stop_reason").asText()).isEqualTo("tool_use");
    }

    @Test
    void contentFinishReasonAndUsageInTheSameChunkAreAllKept() {
        feed("[{\"text\":\"Only chunk.\"}]", "MAX_TOKENS");

        JsonNode content = content();
        assertThat(texts(content)).isEqualTo("Only chunk.");
        assertThat(message.message().path("stop_reason").asText()).isEqualTo("max_tokens");
        assertThat(message.message().path("usage").path("input_tokens").asLong())
                .isEqualTo(11);
        assertThat(message.message().path("usage").path("output_tokens").asLong())
                .isEqualTo(3);
    }

    @Test
    void theStreamedEventsCarryTheWholeTextInOneBlock() {
        SseEvents events = new SseEvents();
        GeminiStreamTranslator streamed = new GeminiStreamTranslator(
                events, new TranslationContext(TestEndpoints.of("gemini"), "gemini-x", "msg_1", 7, List.of()));
        streamed.accept(new SseEvent(
                null, "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"Hmm\",\"thought\":true}]}}]}"));
        streamed.accept(new SseEvent(
                null,
                "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"Hello \",\"thoughtSignature\":\"s\"}]}}]}"));
        streamed.accept(new SseEvent(
                null, "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"there\"}]},\"finishReason\":\"STOP\"}]}"));
        String out = events.drain().toString();
        assertThat(out)
                .contains("\"index\":0,\"delta\":{\"type\":\"signature_delta\",\"signature\":\"s\"}")
                .contains("\"index\":1,\"delta\":{\"type\":\"text_delta\",\"text\":\"Hello \"}")
                .contains("\"index\":1,\"delta\":{\"type\":\"text_delta\",\"text\":\"there\"}")
                .doesNotContain("\"index\":2");
    }
}
