package dev.ccr.server.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ccr.server.config.ConfigLoader;
import dev.ccr.server.config.Endpoint;
import dev.ccr.server.config.Overrides;
import dev.ccr.server.error.ApiException;
import dev.ccr.server.translate.RequestTree;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/** Endpoints with the quirks of several providers, for fuzz targets that translate for them. */
public final class FuzzEndpoints {
    /** OpenAI-format endpoints whose provider conventions differ most (token field, reasoning, schemas). */
    public static final List<Endpoint> OPENAI = load(
            """
            {"endpoints": [
              {"name": "openai", "type": "openai", "baseUrl": "https://api.openai.com/v1"},
              {"name": "deepseek", "type": "openai", "baseUrl": "https://api.deepseek.com/v1"},
              {"name": "qwen", "type": "openai", "baseUrl": "https://dashscope.aliyuncs.com/compatible-mode/v1"},
              {"name": "custom", "type": "custom", "baseUrl": "http://127.0.0.1:9/v1",
               "quirks": {"sendReasoningBack": true, "reasoningRequest": "reasoning_effort",
                          "maxTokensField": "max_completion_tokens"}}
            ]}
            """);

    public static final Endpoint GEMINI =
            load("""
            {"endpoints": [{"name": "gemini", "type": "gemini",
                            "baseUrl": "https://generativelanguage.googleapis.com/v1beta"}]}
            """)
                    .get(0);

    private FuzzEndpoints() {}

    /** A request body as the translated path reads it, or {@code null} when it is refused (with a 400, as it must). */
    public static JsonNode parsedOrRefused(byte[] body) {
        try {
            return RequestTree.parse(body);
        } catch (ApiException refused) {
            assertThat(refused.status()).isEqualTo(400);
            return null;
        }
    }

    private static List<Endpoint> load(String config) {
        try {
            return new ConfigLoader(name -> null)
                    .parse(config.getBytes(StandardCharsets.UTF_8), Path.of("fuzz.json"), Overrides.NONE)
                    .config()
                    .endpoints();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
