package dev.ccr.server.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ccr.server.config.EffectiveConfig;
import dev.ccr.server.error.ApiException;
import io.vertx.core.buffer.Buffer;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** claude-code-router's {@code <CCR-SUBAGENT-MODEL>} tag: routed by, and removed before forwarding. */
class SubagentTagTest {
    private final EffectiveConfig config = RouteResolverTest.load(
            """
            {
              "endpoints": [
                { "name": "anthropic", "type": "anthropic", "baseUrl": "https://api.anthropic.com/v1" },
                { "name": "openrouter", "type": "openai", "baseUrl": "https://openrouter.ai/api/v1", "apiKey": "k" }
              ],
              "routes": { "subagent": "anthropic,claude-haiku-5-5" }
            }
            """);

    private static String body(String agentPrompt) {
        return "{\"model\":\"claude-opus-5-5\",\"system\":[{\"type\":\"text\",\"text\":\"x-anthropic-billing-header: cc\"},"
                + "{\"type\":\"text\",\"text\":\"You are Claude.\",\"cache_control\":{\"type\":\"ephemeral\"}},"
                + "{\"type\":\"text\",\"text\":\"" + agentPrompt + "\"}],"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"<CCR-SUBAGENT-MODEL>not,this</CCR-SUBAGENT-MODEL>\"}],"
                + "\"stream\":true}";
    }

    @Test
    void theTagRoutesAndIsCutOutOfTheBytes() {
        String original = body("<CCR-SUBAGENT-MODEL>openrouter,z-ai/glm-4.6</CCR-SUBAGENT-MODEL>\\nReview the code.");
        MessagesRequest request = MessagesRequest.parse(Buffer.buffer(original)).withoutSubagentTag();

        assertThat(request.subagentModel()).isEqualTo("openrouter,z-ai/glm-4.6");
        // Only the tag is gone: every other byte (the user's text that merely mentions a tag included) is as sent.
        assertThat(request.body().toString())
                .isEqualTo(original.replace("<CCR-SUBAGENT-MODEL>openrouter,z-ai/glm-4.6</CCR-SUBAGENT-MODEL>", ""));
        Route route =
                new RouteResolver().resolve(request, Map.of("x-claude-code-request-class", "subagent")::get, config);
        assertThat(route.name()).isEqualTo("subagentTag");
        assertThat(route.first().endpoint().name()).isEqualTo("openrouter");
        assertThat(route.first().model()).isEqualTo("z-ai/glm-4.6");
        // The model swap still works on the changed body.
        assertThat(request.withModel("glm").toString()).startsWith("{\"model\":\"glm\",");
    }

    @Test
    void aSlashSeparatesTooAndAnEscapedTagIsRemovedAsWell() {
        String escaped = body("\\u003cCCR-SUBAGENT-MODEL>openrouter/some-model</CCR-SUBAGENT-MODEL>Work.");
        MessagesRequest request = MessagesRequest.parse(Buffer.buffer(escaped)).withoutSubagentTag();

        assertThat(request.subagentModel()).isEqualTo("openrouter,some-model");
        assertThat(request.body().toString())
                .doesNotContain("openrouter/some-model")
                .contains("\"text\":\"Work.\"");
    }

    @Test
    void withoutATagTheBodyIsUntouched() {
        String original = body("Review the code.");
        MessagesRequest request = MessagesRequest.parse(Buffer.buffer(original));
        assertThat(request.withoutSubagentTag()).isSameAs(request);
        assertThat(request.subagentModel()).isNull();
    }

    @Test
    void anUnknownEndpointInTheTagIsAClearError() {
        MessagesRequest request = MessagesRequest.parse(
                        Buffer.buffer(body("<CCR-SUBAGENT-MODEL>nowhere,m</CCR-SUBAGENT-MODEL>")))
                .withoutSubagentTag();
        assertThatThrownBy(() -> new RouteResolver().resolve(request, name -> null, config))
                .isInstanceOf(ApiException.class)
                .hasMessageContaining("no endpoint is named \"nowhere\"")
                .hasMessageContaining("anthropic, openrouter");
    }
}
