package dev.ccr.server.translate.gemini;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import dev.ccr.server.error.ApiException;
import dev.ccr.server.fuzz.FuzzEndpoints;
import dev.ccr.server.json.Json;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;

/**
 * The Anthropic → Gemini request translator, fuzzed from the golden requests (docs/SECURITY.md): any body is translated
 * into valid JSON or refused with a 400, and {@code max_tokens} arrives unchanged.
 */
class GeminiRequestFuzzTest {
    @FuzzTest(maxDuration = "5s")
    void translatesOrRefuses(byte[] body) throws IOException {
        JsonNode request = FuzzEndpoints.parsedOrRefused(body);
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
}
