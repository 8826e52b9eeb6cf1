package dev.ccr.server.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ccr.server.json.Json;
import dev.ccr.server.testing.FakeUpstream;
import dev.ccr.server.testing.Http;
import dev.ccr.server.testing.Loopback;
import dev.ccr.server.testing.RouterFixture;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Every failure reaches the client in the Anthropic error shape, with the status Claude Code acts on. */
class ErrorResponsesTest {
    @RegisterExtension
    final Loopback loopback = new Loopback();

    private static final Map<String, String> HEADERS =
            Map.of("x-api-key", "client-key", "content-type", "application/json");

    private final FakeUpstream upstream = loopback.upstream();
    private RouterFixture router;

    private RouterFixture router(String config) {
        router = loopback.router(config);
        return router;
    }

    private HttpResponse<String> post(String path, String body) {
        return Http.post(router.baseUrl() + path, body, HEADERS);
    }

    /** Asserts the Anthropic shape and returns {@code error.message}. */
    private static String assertError(HttpResponse<String> response, int status, String type) {
        assertThat(response.statusCode()).isEqualTo(status);
        assertThat(response.headers().firstValue("content-type")).hasValue("application/json");
        JsonNode body;
        try {
            body = Json.MAPPER.readTree(response.body());
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + response.body());
        }
        assertThat(body.path("type").asText()).isEqualTo("error");
        assertThat(body.path("error").path("type").asText()).isEqualTo(type);
        String message = body.path("error").path("message").asText();
        assertThat(message).isNotBlank().doesNotContain("Exception").doesNotContain("\tat ");
        return message;
    }

    @Test
    void malformedJsonIsAnInvalidRequestWithARequestId() {
        router(RouterFixture.anthropicConfig(upstream.baseUrl(), "k-123456"));
        HttpResponse<String> response = post("/v1/messages", "{\"model\": \"m\", ");
        assertThat(assertError(response, 400, "invalid_request_error")).contains("not valid JSON");
        String requestId = response.headers().firstValue("request-id").orElseThrow();
        assertThat(requestId).startsWith("req_ccr_");
        assertThat(response.body()).contains("\"request_id\":\"" + requestId + "\"");
        assertThat(response.headers().firstValue("x-should-retry")).hasValue("false");
        assertThat(upstream.requests()).isEmpty();
    }

    @Test
    void aMissingModelIsAnInvalidRequest() {
        router(RouterFixture.anthropicConfig(upstream.baseUrl(), "k-123456"));
        assertThat(assertError(post("/v1/messages", "{\"messages\": []}"), 400, "invalid_request_error"))
                .contains("model: field required");
        assertThat(assertError(post("/v1/messages", "[1, 2]"), 400, "invalid_request_error"))
                .contains("JSON object");
    }

    @Test
    void anUnknownEndpointNameIsNotFoundAndListsTheConfiguredOnes() {
        router(RouterFixture.anthropicConfig(upstream.baseUrl(), "k-123456"));
        String message = assertError(post("/v1/messages", "{\"model\": \"glm,glm-4.6\"}"), 404, "not_found_error");
        assertThat(message).contains("no endpoint is named \"glm\"").contains("configured endpoints: anthropic");
    }

    @Test
    void aBodyOverTheCapIsRequestTooLarge() {
        router(
                """
                {"maxBodyMB": 1, "endpoints": [{"name": "a", "type": "anthropic", "baseUrl": "%s", "apiKey": "k-123456"}]}"""
                        .formatted(upstream.baseUrl()));
        String big = "{\"model\": \"m\", \"pad\": \"" + "x".repeat(1_200_000) + "\"}";
        assertThat(assertError(post("/v1/messages", big), 413, "request_too_large"))
                .contains("maxBodyMB");
        assertThat(upstream.requests()).isEmpty();
    }

    @Test
    void unknownPathsAndWrongMethodsAreRefusedInShape() {
        router(RouterFixture.anthropicConfig(upstream.baseUrl(), "k-123456"));
        assertThat(assertError(Http.get(router.baseUrl() + "/v1/complete", HEADERS), 404, "not_found_error"))
                .contains("/v1/complete");
        assertError(Http.get(router.baseUrl() + "/v1/messages", HEADERS), 405, "invalid_request_error");
    }

    @Test
    void anAnthropicErrorFromTheUpstreamPassesThroughWithItsStatusAndHeaders() {
        router(RouterFixture.anthropicConfig(upstream.baseUrl(), "k-123456"));
        String body = "{\"type\":\"error\",\"error\":{\"type\":\"rate_limit_error\",\"message\":\"Number of requests"
                + " has exceeded your rate limit\"},\"request_id\":\"req_011\"}";
        upstream.respond((request, response) -> response.setStatusCode(429)
                .putHeader("content-type", "application/json")
                .putHeader("retry-after", "17")
                .end(body));
        HttpResponse<String> response = post("/v1/messages", "{\"model\": \"m\"}");
        assertThat(response.statusCode()).isEqualTo(429);
        assertThat(response.body()).isEqualTo(body);
        assertThat(response.headers().firstValue("retry-after")).hasValue("17");
    }

    @Test
    void aNonAnthropicErrorPageIsWrappedKeepingTheStatus() {
        router(RouterFixture.anthropicConfig(upstream.baseUrl(), "k-123456"));
        upstream.respondWith(502, "text/html", "<html><body><h1>502 Bad Gateway</h1></body></html>");
        String message = assertError(post("/v1/messages", "{\"model\": \"m\"}"), 502, "api_error");
        assertThat(message).contains("endpoint \"anthropic\" answered HTTP 502").contains("502 Bad Gateway");
    }

    @Test
    void anUnreachableUpstreamIsABadGatewayThatNamesTheEndpoint() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        router(RouterFixture.anthropicConfig("http://127.0.0.1:" + closedPort + "/v1", "k-123456"));
        HttpResponse<String> response = post("/v1/messages", "{\"model\": \"m\"}");
        assertThat(assertError(response, 502, "api_error"))
                .contains("cannot connect to endpoint \"anthropic\" (http://127.0.0.1:" + closedPort + "/v1)");
        assertThat(response.headers().firstValue("x-should-retry")).hasValue("true");
    }

    @Test
    void withoutAnyKeyToSendTheClientIsToldWhatToDo() {
        router(RouterFixture.anthropicConfig(upstream.baseUrl(), null));
        HttpResponse<String> response = Http.post(
                router.baseUrl() + "/v1/messages", "{\"model\": \"m\"}", Map.of("authorization", "Bearer ccr"));
        assertThat(assertError(response, 401, "authentication_error"))
                .contains("has no apiKey")
                .contains("ANTHROPIC_AUTH_TOKEN=ccr:<your key>");
        assertThat(upstream.requests()).isEmpty();
    }
}
