package dev.ccr.server.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ccr.server.json.Json;
import dev.ccr.server.testing.FakeUpstream;
import dev.ccr.server.testing.Http;
import dev.ccr.server.testing.RouterFixture;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The translated path through a real router, for what the golden matrix does not pin. */
class TranslatedRoutingTest {
    private static final Map<String, String> HEADERS = Map.of("content-type", "application/json");
    private static FakeUpstream upstream;
    private static RouterFixture router;

    @BeforeAll
    static void start() {
        upstream = FakeUpstream.start();
        router = RouterFixture.start(
                """
                {
                  "endpoints": [
                    { "name": "anthropic", "type": "anthropic", "baseUrl": "%1$s", "apiKey": "sk-ant" },
                    { "name": "glm", "type": "custom", "baseUrl": "%1$s", "apiKey": "sk-glm",
                      "models": ["glm-4.6", "glm-4.5-air"], "modelMap": { "*haiku*": "glm-4.5-air" } },
                    { "name": "nokey", "type": "openai", "baseUrl": "%1$s", "apiKey": "${UNSET_KEY}" },
                    { "name": "gem", "type": "gemini", "baseUrl": "%1$s", "apiKey": "g", "models": ["gemini-2.5-pro"] }
                  ],
                  "routes": { "background": "glm" }
                }
                """
                        .formatted(upstream.baseUrl()),
                Map.of(),
                false);
    }

    @AfterAll
    static void stop() {
        router.close();
        upstream.close();
    }

    private static HttpResponse<String> post(String path, String body) {
        return Http.post(router.baseUrl() + path, body, HEADERS);
    }

    @Test
    void anErrorBeforeAnyContentKeepsItsHttpStatus() {
        upstream.respondWith(
                200,
                "text/event-stream",
                "data: {\"error\":{\"message\":\"quota\",\"type\":\"insufficient_quota\",\"code\":\"rate_limit\"}}\n\n");
        HttpResponse<String> response = post(
                "/v1/messages",
                "{\"model\":\"glm,glm-4.6\",\"stream\":true,\"max_tokens\":5,\"messages\":[{\"role\":\"user\","
                        + "\"content\":\"hi\"}]}");
        assertThat(response.statusCode()).isEqualTo(429);
        assertThat(response.body()).contains("\"type\":\"rate_limit_error\"").contains("quota");
    }

    @Test
    void aJsonAnswerToAStreamRequestIsStillStreamed() {
        upstream.respondWith(
                200,
                "application/json",
                "{\"choices\":[{\"message\":{\"content\":\"hey\"},\"finish_reason\":\"stop\"}],"
                        + "\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":1}}");
        HttpResponse<String> response = post(
                "/v1/messages",
                "{\"model\":\"glm,glm-4.6\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).hasValue("text/event-stream");
        assertThat(response.body())
                .startsWith("event: message_start\n")
                .contains("\"text\":\"hey\"")
                .endsWith("event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n");
    }

    @Test
    void countTokensIsAnsweredLocallyForTranslatedEndpoints() {
        int before = upstream.requests().size();
        HttpResponse<String> response = post(
                "/v1/messages/count_tokens?beta=true",
                "{\"model\":\"glm,glm-4.6\",\"messages\":[{\"role\":\"user\",\"content\":\"The quick brown fox jumps"
                        + " over the lazy dog.\"}],\"tools\":[{\"name\":\"Bash\",\"description\":\"Run a command\","
                        + "\"input_schema\":{\"type\":\"object\"}}]}");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(upstream.requests()).hasSize(before);
        long tokens = parse(response.body()).path("input_tokens").asLong();
        assertThat(tokens).isBetween(20L, 40L);
        assertThat(response.headers().firstValue("x-ccr-endpoint")).hasValue("glm");
    }

    @Test
    void countTokensForAnthropicEndpointsIsForwarded() {
        upstream.respondWith(200, "application/json", "{\"input_tokens\":17}");
        HttpResponse<String> response = post(
                "/v1/messages/count_tokens",
                "{\"model\":\"claude-sonnet-5\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        assertThat(response.body()).isEqualTo("{\"input_tokens\":17}");
        assertThat(upstream.lastRequest().path()).isEqualTo("/v1/messages/count_tokens");
    }

    @Test
    void aMissingKeyIsAnAuthenticationErrorWithoutCallingTheUpstream() {
        int before = upstream.requests().size();
        HttpResponse<String> response =
                post("/v1/messages", "{\"model\":\"nokey,m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.body()).contains("UNSET_KEY is not set");
        assertThat(upstream.requests()).hasSize(before);
    }

    @Test
    void scenarioRoutesShowInTheHeaders() {
        upstream.respondWith(
                200,
                "application/json",
                "{\"choices\":[{\"message\":{\"content\":\"ok\"},\"finish_reason\":\"stop\"}]}");
        HttpResponse<String> response = post(
                "/v1/messages",
                "{\"model\":\"claude-haiku-4-5-20251001\",\"max_tokens\":9,\"messages\":[{\"role\":\"user\","
                        + "\"content\":\"title?\"}]}");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("x-ccr-route")).hasValue("background");
        assertThat(response.headers().firstValue("x-ccr-endpoint")).hasValue("glm");
        assertThat(response.headers().firstValue("x-ccr-model")).hasValue("glm-4.5-air");
        assertThat(upstream.lastRequest().bodyText()).contains("\"model\":\"glm-4.5-air\"");
    }

    @Test
    void modelsListsRoutableIdsThatClaudeCodeShows() {
        HttpResponse<String> response = Http.get(router.baseUrl() + "/v1/models?limit=1000", Map.of());
        JsonNode ids = parse(response.body()).path("data");
        assertThat(ids.findValuesAsText("id"))
                .containsExactly(
                        "claude-ccr/glm/glm-4.6", "claude-ccr/glm/glm-4.5-air", "claude-ccr/gem/gemini-2.5-pro");
        assertThat(ids.findValuesAsText("id")).allMatch(id -> id.startsWith("claude"));
    }

    private static JsonNode parse(String json) {
        try {
            return Json.MAPPER.readTree(json);
        } catch (Exception e) {
            throw new AssertionError(json, e);
        }
    }
}
