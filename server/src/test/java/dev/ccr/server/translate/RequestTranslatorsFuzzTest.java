package dev.ccr.server.translate;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import dev.ccr.server.config.Endpoint;
import dev.ccr.server.error.ApiException;
import dev.ccr.server.fuzz.FuzzEndpoints;
import dev.ccr.server.json.Json;
import dev.ccr.server.translate.gemini.GeminiRequestTranslator;
import dev.ccr.server.translate.openai.OpenAiRequestTranslator;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;

/**
 * The Anthropic → OpenAI and → Gemini request translators, fuzzed from the golden requests: any body is translated
 * into valid JSON or refused with a 400, and the numbers that go across arrive unchanged.
 */
class RequestTranslatorsFuzzTest {
    @FuzzTest(maxDuration = "5s")
    void toOpenAi(FuzzedDataProvider data) throws IOException {
        Endpoint endpoint = FuzzEndpoints.OPENAI.get(data.consumeInt(0, FuzzEndpoints.OPENAI.size() - 1));
        boolean stream = data.consumeBoolean();
        JsonNode request = parsed(data.consumeRemainingAsBytes());
        if (request == null) {
            return;
        }
        Buffer out;
        try {
            out = OpenAiRequestTranslator.translate(request, "fuzz-model", stream, endpoint.quirks());
        } catch (ApiException refused) {
            assertThat(refused.status()).isEqualTo(400);
            return;
        }
        JsonNode sent = Json.MAPPER.readTree(out.getBytes());
        assertThat(sent.path("model").asText()).isEqualTo("fuzz-model");
        assertThat(sent.path("stream").asBoolean(false)).isEqualTo(stream);
        JsonNode maxTokens = request.get("max_tokens");
        if (maxTokens != null && maxTokens.isIntegralNumber()) {
            assertThat(sent.path(endpoint.quirks().maxTokensField().field()).asLong())
                    .isEqualTo(maxTokens.asLong());
        }
    }

    @FuzzTest(maxDuration = "5s")
    void toGemini(byte[] body) throws IOException {
        JsonNode request = parsed(body);
        if (request == null) {
            return;
        }
        Buffer out;
        try {
            out = GeminiRequestTranslator.translate(request, FuzzEndpoints.GEMINI.quirks());
        } catch (ApiException refused) {
            assertThat(refused.status()).isEqualTo(400);
            return;
        }
        JsonNode sent = Json.MAPPER.readTree(out.getBytes());
        JsonNode maxTokens = request.get("max_tokens");
        if (maxTokens != null && maxTokens.isIntegralNumber()) {
            assertThat(sent.path("generationConfig").path("maxOutputTokens").asLong())
                    .isEqualTo(maxTokens.asLong());
        }
    }

    private static JsonNode parsed(byte[] body) {
        try {
            return RequestTree.parse(body);
        } catch (ApiException refused) {
            assertThat(refused.status()).isEqualTo(400);
            return null;
        }
    }
}
