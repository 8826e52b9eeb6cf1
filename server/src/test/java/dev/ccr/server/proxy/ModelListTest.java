package dev.ccr.server.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ccr.server.json.Json;
import dev.ccr.server.testing.FakeKeys;
import dev.ccr.server.testing.FakeUpstream;
import dev.ccr.server.testing.Http;
import dev.ccr.server.testing.Loopback;
import dev.ccr.server.testing.RouterFixture;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code GET /v1/models} for Claude Code's model discovery: an Anthropic endpoint that names no models lists what its
 * upstream lists, merged with the configured models of the others; a slow or failing upstream never fails the list.
 */
class ModelListTest {
    @RegisterExtension
    final Loopback loopback = new Loopback();

    private static final String UPSTREAM_LIST =
            """
            {"data":[
              {"type":"model","id":"claude-opus-5-5","display_name":"Claude Opus 5.5","created_at":"2026-05-01T00:00:00Z"},
              {"type":"model","id":"claude-haiku-5-5","display_name":"Claude Haiku 5.5","created_at":"2026-05-01T00:00:00Z"}
             ],"has_more":false,"first_id":"claude-opus-5-5","last_id":"claude-haiku-5-5"}
            """;

    private final FakeUpstream anthropic = loopback.upstream();
    private final FakeUpstream other = loopback.upstream();
    private RouterFixture router;

    private void start(String apiKey) {
        router = loopback.router(
                """
                {
                  "endpoints": [
                    { "name": "anthropic", "type": "anthropic", "baseUrl": "%s"%s },
                    { "name": "second", "type": "anthropic", "baseUrl": "%s", "apiKey": "k2" },
                    { "name": "glm", "type": "openai", "baseUrl": "http://127.0.0.1:9/v1", "apiKey": "k",
                      "models": ["glm-4.6"] }
                  ]
                }
                """
                        .formatted(
                                anthropic.baseUrl(),
                                apiKey == null ? "" : ", \"apiKey\": \"" + apiKey + "\"",
                                other.baseUrl()));
    }

    private HttpResponse<String> models(Map<String, String> headers) {
        return Http.get(router.baseUrl() + "/v1/models?limit=1000", headers);
    }

    private static JsonNode data(HttpResponse<String> response) throws Exception {
        assertThat(response.statusCode()).isEqualTo(200);
        return Json.MAPPER.readTree(response.body()).path("data");
    }

    @Test
    void anAnthropicEndpointWithoutModelsListsWhatItsUpstreamLists() throws Exception {
        anthropic.respondWith(200, "application/json", UPSTREAM_LIST);
        other.respondWith(200, "application/json", UPSTREAM_LIST.replace("claude-opus-5-5", "claude-sonnet-5-5"));
        String key = FakeKeys.anthropic("endpoint-key-1");
        start(key);

        HttpResponse<String> response = models(Map.of("authorization", "Bearer ccr"));
        JsonNode data = data(response);

        // The default endpoint's ids as they are (they route there); another endpoint's under its name; configured.
        assertThat(data.findValuesAsText("id"))
                .containsExactly(
                        "claude-opus-5-5",
                        "claude-haiku-5-5",
                        "claude-ccr/second/claude-sonnet-5-5",
                        "claude-ccr/second/claude-haiku-5-5",
                        "claude-ccr/glm/glm-4.6");
        assertThat(data.get(0).path("display_name").asText()).isEqualTo("Claude Opus 5.5");
        assertThat(data.get(0).path("type").asText()).isEqualTo("model");
        assertThat(data.get(2).path("display_name").asText()).isEqualTo("Claude Opus 5.5 (second)");
        assertThat(response.headers().firstValue(ModelsHandler.HEADER_MISSING)).isEmpty();
        assertThat(anthropic.lastRequest().path()).isEqualTo("/v1/models");
        assertThat(anthropic.lastRequest().query()).isEqualTo("limit=1000");
        assertThat(anthropic.lastRequest().header("x-api-key")).isEqualTo(key);
        assertThat(anthropic.lastRequest().header("anthropic-version")).isEqualTo("2023-06-01");

        // Asked once: each Claude Code session asks at start, the upstream need not be asked every time.
        models(Map.of("authorization", "Bearer ccr"));
        assertThat(anthropic.requests()).hasSize(1);
    }

    @Test
    void anEndpointWithoutAKeyAsksWithTheUsersOwn() throws Exception {
        anthropic.respondWith(200, "application/json", UPSTREAM_LIST);
        other.respondWith(200, "application/json", UPSTREAM_LIST);
        start(null);
        String users = FakeKeys.anthropic("users-own-key");

        JsonNode data = data(models(Map.of("x-api-key", users)));

        assertThat(data.findValuesAsText("id")).startsWith("claude-opus-5-5", "claude-haiku-5-5");
        assertThat(anthropic.lastRequest().header("x-api-key")).isEqualTo(users);
    }

    @Test
    void aSilentUpstreamDoesNotHoldTheListPastClaudeCodesTimeout() throws Exception {
        anthropic.respond((request, response) -> {}); // never answers
        other.respondWith(
                500, "application/json", "{\"type\":\"error\",\"error\":{\"type\":\"api_error\",\"message\":\"x\"}}");
        start("k1");

        long started = System.nanoTime();
        HttpResponse<String> response = models(Map.of());
        long tookMs = (System.nanoTime() - started) / 1_000_000;

        // Claude Code waits 3 s (CLAUDE_CODE_GATEWAY_MODEL_DISCOVERY_TIMEOUT_MS); the router gives the upstream 2.
        assertThat(tookMs).isLessThan(2_900);
        assertThat(data(response).findValuesAsText("id")).containsExactly("claude-ccr/glm/glm-4.6");
        assertThat(response.headers().firstValue(ModelsHandler.HEADER_MISSING).orElseThrow())
                .contains("anthropic: it did not answer within 2000 ms")
                .contains("second: it answered HTTP 500");
    }

    @Test
    void withoutAnyKeyTheListSaysWhyTheEndpointIsMissing() throws Exception {
        start(null);
        HttpResponse<String> response = models(Map.of("authorization", "Bearer ccr"));
        assertThat(response.headers().firstValue(ModelsHandler.HEADER_MISSING).orElseThrow())
                .contains("anthropic: it has no apiKey and the request carried no key of the user's to ask with");
        assertThat(anthropic.requests()).isEmpty();
    }
}
