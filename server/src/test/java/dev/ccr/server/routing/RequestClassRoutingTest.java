package dev.ccr.server.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ccr.server.config.EffectiveConfig;
import io.vertx.core.buffer.Buffer;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Scenario routes keyed by what Claude Code says a request is ({@code x-claude-code-request-class}, docs/ROUTING.md),
 * with the older signs (an agent id, a Haiku model name) as the fallback when the label is absent.
 */
class RequestClassRoutingTest {
    private static final String CONFIG =
            """
            {
              "endpoints": [
                { "name": "anthropic", "type": "anthropic", "baseUrl": "https://api.anthropic.com/v1" },
                { "name": "cheap", "type": "openai", "baseUrl": "https://cheap.example/v1", "apiKey": "k",
                  "models": ["small"] },
                { "name": "agents", "type": "openai", "baseUrl": "https://agents.example/v1", "apiKey": "k",
                  "models": ["coder"] },
                { "name": "summarizer", "type": "gemini", "baseUrl": "https://g.example/v1beta", "apiKey": "k",
                  "models": ["long-context"] }
              ],
              "defaultEndpoint": "anthropic",
              "longContextThreshold": 100,
              "routes": { "background": "cheap", "subagent": "agents", "compaction": "summarizer",
                          "longContext": "cheap,long" }
            }
            """;

    private final RouteResolver resolver = new RouteResolver();
    private final EffectiveConfig config = RouteResolverTest.load(CONFIG);

    private Route route(String model, Map<String, String> headers) {
        return route(model, "hi", headers);
    }

    private Route route(String model, String text, Map<String, String> headers) {
        String body = "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"" + text
                + "\"}],\"thinking\":{\"type\":\"adaptive\"}}";
        Map<String, String> lower = new HashMap<>();
        headers.forEach((k, v) -> lower.put(k.toLowerCase(java.util.Locale.ROOT), v));
        return resolver.resolve(
                MessagesRequest.parse(Buffer.buffer(body)),
                name -> lower.get(name.toLowerCase(java.util.Locale.ROOT)),
                config);
    }

    @Test
    void aSubagentRequestGoesToTheSubagentRoute() {
        Route route = route("claude-opus-5-5", Map.of("X-Claude-Code-Request-Class", "subagent"));
        assertThat(route.name()).isEqualTo("subagent");
        assertThat(route.first().endpoint().name()).isEqualTo("agents");
        assertThat(route.first().model()).isEqualTo("coder");
        assertThat(route("claude-opus-5-5", Map.of("x-claude-code-request-class", "workflow"))
                        .name())
                .isEqualTo("subagent");
    }

    @Test
    void anOlderCliSubagentIsKnownByItsAgentId() {
        // 2.1.197 sends no class, but every request of a subagent carries x-claude-code-agent-id.
        Route route = route("claude-opus-4-8", Map.of("x-claude-code-agent-id", "a272a7c6bf4cdf2b9"));
        assertThat(route.name()).isEqualTo("subagent");
    }

    @Test
    void compactionGoesToItsRouteEvenWhenItIsLong() {
        String longText = "word ".repeat(200);
        Route route = route("claude-opus-5-5", longText, Map.of("x-claude-code-request-class", "compaction"));
        assertThat(route.name()).isEqualTo("compaction");
        assertThat(route.first().endpoint().name()).isEqualTo("summarizer");
        assertThat(route("claude-opus-5-5", longText, Map.of("x-claude-code-request-class", "main"))
                        .name())
                .isEqualTo("longContext");
    }

    @Test
    void auxiliaryRequestsOnTheMainModelGoToBackground() {
        // A title request of 2.1.332 uses the main model: only the label tells it apart.
        Route route = route("claude-opus-5-5", Map.of("x-claude-code-request-class", "auxiliary"));
        assertThat(route.name()).isEqualTo("background");
        assertThat(route.first().endpoint().name()).isEqualTo("cheap");
    }

    @Test
    void aLabelledMainConversationOnHaikuIsNotBackground() {
        assertThat(route("claude-haiku-5-5", Map.of("x-claude-code-request-class", "main"))
                        .name())
                .isEqualTo("default");
        assertThat(route("claude-haiku-5-5", Map.of("x-claude-code-request-class", "side_reply"))
                        .name())
                .isEqualTo("default");
    }

    @Test
    void withoutTheLabelTheModelNameStillDecides() {
        assertThat(route("claude-haiku-4-5-20251001", Map.of()).name()).isEqualTo("background");
        assertThat(route("claude-opus-4-8", Map.of()).name()).isEqualTo("default");
        // An unlabelled subagent on a Haiku model (2.1.197's Explore agent) is a subagent first.
        assertThat(route("claude-haiku-4-5", Map.of("x-claude-code-agent-id", "a1"))
                        .name())
                .isEqualTo("subagent");
    }

    @Test
    void aWebFetchServerToolCountsAsWebSearch() {
        String body = "{\"model\":\"m\",\"messages\":[],\"tools\":[{\"type\":\"web_fetch_20250910\",\"name\":"
                + "\"web_fetch\"}]}";
        assertThat(MessagesRequest.parse(Buffer.buffer(body)).webSearch()).isTrue();
        String client = "{\"model\":\"m\",\"messages\":[],\"tools\":[{\"name\":\"WebFetch\",\"input_schema\":{}}]}";
        assertThat(MessagesRequest.parse(Buffer.buffer(client)).webSearch()).isFalse();
    }
}
