package dev.ccr.server.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ccr.server.json.Json;
import dev.ccr.server.testing.FakeUpstream;
import dev.ccr.server.testing.Http;
import dev.ccr.server.testing.Loopback;
import dev.ccr.server.testing.RouterFixture;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Anthropic's web server tools on translated endpoints: Claude Code's web search request (its only tool is {@code
 * web_search_*}) goes to {@code routes.webSearch} when it is set (Gemini gets Google Search in its place), and is
 * refused with a 400 that names the tool anywhere else, instead of a silent "0 results".
 */
class ServerToolsThroughRouterTest {
    @RegisterExtension
    final Loopback loopback = new Loopback();

    /** What Claude Code's WebSearch tool sends to the API, reduced. */
    private static final String SEARCH =
            """
            {"model":"claude-opus-5-5","max_tokens":1024,"stream":false,
             "messages":[{"role":"user","content":"Perform a web search for the query: ccr router"}],
             "tools":[{"type":"web_search_20250305","name":"web_search","max_uses":8}]}
            """;

    private final FakeUpstream openai = loopback.upstream();
    private final FakeUpstream gemini = loopback.upstream();
    private RouterFixture router;

    private void start(String routes) {
        router = loopback.router(
                """
                {
                  "endpoints": [
                    { "name": "glm", "type": "openai", "baseUrl": "%s", "apiKey": "k", "models": ["glm-4.6"] },
                    { "name": "gem", "type": "gemini", "baseUrl": "%s", "apiKey": "k", "models": ["gemini-2.5-flash"] }
                  ],
                  "defaultEndpoint": "glm"%s
                }
                """
                        .formatted(openai.baseUrl(), gemini.baseUrl(), routes));
    }

    private HttpResponse<String> send(String body) {
        return Http.post(
                router.baseUrl() + "/v1/messages",
                body,
                Map.of("content-type", "application/json", "anthropic-version", "2023-06-01"));
    }

    @Test
    void withoutASearchRouteTheRequestIsRefusedNamingTheTool() throws Exception {
        start("");
        HttpResponse<String> response = send(SEARCH);

        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode error = Json.MAPPER.readTree(response.body());
        assertThat(error.path("type").asText()).isEqualTo("error");
        assertThat(error.path("error").path("type").asText()).isEqualTo("invalid_request_error");
        assertThat(error.path("error").path("message").asText())
                .contains("web_search_20250305")
                .contains("\"glm\"")
                .contains("routes.webSearch");
        assertThat(openai.requests()).isEmpty();
    }

    @Test
    void theSearchRouteGetsItAndGeminiSearchesWithGoogle() throws Exception {
        gemini.respondWith(
                200,
                "application/json",
                "{\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":[{\"text\":\"Found it.\"}]},"
                        + "\"finishReason\":\"STOP\"}],\"usageMetadata\":{\"promptTokenCount\":9,\"candidatesTokenCount\":3}}");
        start(", \"routes\": { \"webSearch\": \"gem\" }");
        HttpResponse<String> response = send(SEARCH);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("x-ccr-route")).hasValue("webSearch");
        JsonNode sent = Json.MAPPER.readTree(gemini.lastRequest().bodyText());
        assertThat(sent.path("tools")).hasSize(1);
        assertThat(sent.path("tools").get(0).has("googleSearch")).isTrue();
        assertThat(Json.MAPPER
                        .readTree(response.body())
                        .path("content")
                        .get(0)
                        .path("text")
                        .asText())
                .isEqualTo("Found it.");
    }

    @Test
    void aClientToolNamedLikeSearchIsNotAServerTool() throws Exception {
        openai.respondWith(
                200,
                "application/json",
                "{\"choices\":[{\"message\":{\"content\":\"ok\"},\"finish_reason\":\"stop\"}]}");
        start("");
        HttpResponse<String> response = send(
                """
                {"model":"claude-opus-5-5","max_tokens":64,"messages":[{"role":"user","content":"hi"}],
                 "tools":[{"name":"WebSearch","description":"Search the web.",
                   "input_schema":{"type":"object","properties":{"query":{"type":"string"}}}}]}
                """);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }
}
