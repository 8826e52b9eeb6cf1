package dev.ccr.server.translate.openai;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import dev.ccr.server.config.Endpoint;
import dev.ccr.server.error.ApiException;
import dev.ccr.server.fuzz.FuzzEndpoints;
import dev.ccr.server.json.Json;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;

/**
 * The Anthropic → OpenAI request translator, fuzzed from the golden requests (docs/SECURITY.md): any body is translated
 * into valid JSON or refused with a 400, for several providers' quirks, and {@code max_tokens} arrives unchanged.
 */
class OpenAiRequestFuzzTest {
    @FuzzTest(maxDuration = "5s")
    void translatesOrRefuses(FuzzedDataProvider data) throws IOException {
        Endpoint endpoint = FuzzEndpoints.OPENAI.get(data.consumeInt(0, FuzzEndpoints.OPENAI.size() - 1));
        boolean stream = data.consumeBoolean();
        JsonNode request = FuzzEndpoints.parsedOrRefused(data.consumeRemainingAsBytes());
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
}
