package dev.ccr.server.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ccr.server.testing.AnthropicSse;
import dev.ccr.server.testing.FakeKeys;
import dev.ccr.server.testing.FakeUpstream;
import dev.ccr.server.testing.Http;
import dev.ccr.server.testing.Loopback;
import dev.ccr.server.testing.RecordedRequest;
import dev.ccr.server.testing.RouterFixture;
import io.vertx.core.buffer.Buffer;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The Anthropic passthrough: what reaches the upstream, and what comes back, byte for byte. */
class AnthropicPassthroughTest {
    @RegisterExtension
    final Loopback loopback = new Loopback();

    private final FakeUpstream upstream = loopback.upstream();
    private RouterFixture router;

    private RouterFixture router(String config) {
        router = loopback.router(config);
        return router;
    }

    private static final Map<String, String> CLAUDE_CODE_HEADERS = Map.of(
            "anthropic-version", "2023-06-01",
            "anthropic-beta", "claude-code-20250219,interleaved-thinking-2025-05-14",
            "content-type", "application/json",
            "accept", "application/json",
            "user-agent", "claude-cli/2.1.197 (external, cli)",
            "x-claude-code-session-id", "5d1b7c0e-1f2a-4f7e-9a43-6c1d2e3f4a5b",
            "x-stainless-retry-count", "0",
            "x-api-key", FakeKeys.anthropic("client-key"),
            "cookie", "session=private",
            "x-forwarded-for", "10.1.2.3");

    @Test
    void theBodyAndClaudeCodesHeadersReachTheUpstreamUntouched() {
        router(RouterFixture.anthropicConfig(upstream.baseUrl(), FakeKeys.anthropic("endpoint-key")));
        upstream.respondWith(200, "application/json", "{\"id\":\"msg_1\"}");
        // Odd spacing, key order and escapes must survive: the router does not re-serialise bodies it can pass.
        String body = "{ \"max_tokens\":5,\"model\" : \"claude-sonnet-4-5\",\n \"messages\":[{\"role\":\"user\","
                + "\"content\":\"h\\u00e9llo \\ud83d\\ude00\"}], \"stream\": false }";

        HttpResponse<String> response =
                Http.post(router.baseUrl() + "/v1/messages?beta=true", body, CLAUDE_CODE_HEADERS);

        assertThat(response.statusCode()).isEqualTo(200);
        RecordedRequest seen = upstream.lastRequest();
        assertThat(seen.method()).isEqualTo("POST");
        assertThat(seen.path()).isEqualTo("/v1/messages");
        assertThat(seen.query()).isEqualTo("beta=true");
        assertThat(seen.body().getBytes()).isEqualTo(body.getBytes(StandardCharsets.UTF_8));
        assertThat(seen.header("anthropic-version")).isEqualTo("2023-06-01");
        assertThat(seen.header("anthropic-beta")).isEqualTo("claude-code-20250219,interleaved-thinking-2025-05-14");
        assertThat(seen.header("user-agent")).isEqualTo("claude-cli/2.1.197 (external, cli)");
        assertThat(seen.header("x-claude-code-session-id")).isEqualTo("5d1b7c0e-1f2a-4f7e-9a43-6c1d2e3f4a5b");
        assertThat(seen.header("x-stainless-retry-count")).isEqualTo("0");
        assertThat(seen.header("content-type")).isEqualTo("application/json");
        // The credential is swapped; what identifies the client's network or browser stays behind.
        assertThat(seen.header("x-api-key")).isEqualTo(FakeKeys.anthropic("endpoint-key"));
        assertThat(seen.header("authorization")).isNull();
        assertThat(seen.header("cookie")).isNull();
        assertThat(seen.header("x-forwarded-for")).isNull();
        assertThat(seen.header("accept-encoding")).isNull();
        assertThat(seen.header("host")).isEqualTo("127.0.0.1:" + upstream.port());
    }

    @Test
    void endpointHeadersAreAddedToEveryRequest() {
        router(
                """
                {"endpoints": [{"name": "anthropic", "type": "anthropic", "baseUrl": "%s", "apiKey": "k-123456",
                  "headers": {"X-Team": "platform", "anthropic-beta": "context-1m-2025-08-07"}}]}"""
                        .formatted(upstream.baseUrl()));
        upstream.respondWith(200, "application/json", "{}");
        Http.post(router.baseUrl() + "/v1/messages", "{\"model\":\"m\"}", CLAUDE_CODE_HEADERS);
        assertThat(upstream.lastRequest().header("x-team")).isEqualTo("platform");
        assertThat(upstream.lastRequest().headers().getAll("anthropic-beta"))
                .as("the endpoint's value wins over the client's")
                .containsExactly("context-1m-2025-08-07");
    }

    @Test
    void theStreamComesBackByteForByteWithTheUpstreamsHeaders() {
        router(RouterFixture.anthropicConfig(upstream.baseUrl(), "k-123456"));
        String stream = AnthropicSse.joined(AnthropicSse.textAnswer("claude-sonnet-4-5", 12, "Hel", "lo", " \\u00e9"));
        upstream.respond((request, response) -> response.putHeader("content-type", "text/event-stream; charset=utf-8")
                .putHeader("request-id", "req_upstream_1")
                .putHeader("anthropic-ratelimit-requests-remaining", "99")
                .end(stream));

        HttpResponse<String> response = Http.post(
                router.baseUrl() + "/v1/messages",
                "{\"model\":\"claude-sonnet-4-5\",\"stream\":true}",
                CLAUDE_CODE_HEADERS);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(stream);
        assertThat(response.headers().firstValue("content-type")).hasValue("text/event-stream; charset=utf-8");
        assertThat(response.headers().firstValue("request-id")).hasValue("req_upstream_1");
        assertThat(response.headers().firstValue("anthropic-ratelimit-requests-remaining"))
                .hasValue("99");
        assertThat(response.headers().firstValue("x-ccr-endpoint")).hasValue("anthropic");
        assertThat(response.headers().firstValue("x-ccr-route")).hasValue("default");
        assertThat(response.headers().firstValue("x-ccr-request-id").orElseThrow())
                .startsWith("req_ccr_");
    }

    @Test
    void framesSplitAcrossNetworkChunksArriveWhole() {
        router(RouterFixture.anthropicConfig(upstream.baseUrl(), "k-123456"));
        String stream = AnthropicSse.joined(AnthropicSse.textAnswer("m", 3, "a", "b"));
        upstream.respond((request, response) -> {
            response.setChunked(true).putHeader("content-type", "text/event-stream");
            // Cut the stream every 7 bytes, mid-line and mid-frame, as networks do.
            byte[] bytes = stream.getBytes(StandardCharsets.UTF_8);
            for (int i = 0; i < bytes.length; i += 7) {
                response.write(Buffer.buffer(java.util.Arrays.copyOfRange(bytes, i, Math.min(bytes.length, i + 7))));
            }
            response.end();
        });
        HttpResponse<String> response =
                Http.post(router.baseUrl() + "/v1/messages", "{\"model\":\"m\",\"stream\":true}", CLAUDE_CODE_HEADERS);
        assertThat(response.body()).isEqualTo(stream);
    }

    @Test
    void anExplicitEndpointAndModelChangesOnlyTheModelBytes() {
        router(
                """
                {"endpoints": [
                  {"name": "main", "type": "anthropic", "baseUrl": "http://127.0.0.1:9/v1", "apiKey": "k-unused1"},
                  {"name": "alt", "type": "anthropic", "baseUrl": "%s", "apiKey": "k-alt-123"}
                ], "defaultEndpoint": "main"}"""
                        .formatted(upstream.baseUrl()));
        upstream.respondWith(200, "application/json", "{}");
        String body = "{\"max_tokens\": 7,  \"model\":\"alt,claude-opus-4-1\", \"messages\": [ ]}";

        HttpResponse<String> response = Http.post(router.baseUrl() + "/v1/messages", body, CLAUDE_CODE_HEADERS);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(upstream.lastRequest().bodyText())
                .isEqualTo("{\"max_tokens\": 7,  \"model\":\"claude-opus-4-1\", \"messages\": [ ]}");
        assertThat(response.headers().firstValue("x-ccr-route")).hasValue("explicit");
        assertThat(response.headers().firstValue("x-ccr-model")).hasValue("claude-opus-4-1");
    }

    @Test
    void theDoubledV1PrefixThatGuidesProduceWorksToo() {
        router(RouterFixture.anthropicConfig(upstream.baseUrl(), "k-123456"));
        upstream.respondWith(200, "application/json", "{}");
        assertThat(Http.post(router.baseUrl() + "/v1/v1/messages?beta=true", "{\"model\":\"m\"}", CLAUDE_CODE_HEADERS)
                        .statusCode())
                .isEqualTo(200);
        assertThat(upstream.lastRequest().path()).isEqualTo("/v1/messages");
        assertThat(upstream.lastRequest().query()).isEqualTo("beta=true");
    }

    @Test
    void countTokensIsForwardedToAnthropicEndpoints() {
        router(RouterFixture.anthropicConfig(upstream.baseUrl(), "k-123456"));
        upstream.respondWith(200, "application/json", "{\"input_tokens\":42}");
        HttpResponse<String> response = Http.post(
                router.baseUrl() + "/v1/messages/count_tokens?beta=true",
                "{\"model\":\"claude-sonnet-4-5\",\"messages\":[]}",
                CLAUDE_CODE_HEADERS);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("{\"input_tokens\":42}");
        assertThat(upstream.lastRequest().path()).isEqualTo("/v1/messages/count_tokens");
    }

    @Test
    void oneKeepAliveConnectionServesManyRequests() {
        router(RouterFixture.anthropicConfig(upstream.baseUrl(), "k-123456"));
        upstream.respondWith(200, "application/json", "{}");
        List<Integer> statuses = new java.util.ArrayList<>();
        for (int i = 0; i < 5; i++) {
            statuses.add(Http.post(router.baseUrl() + "/v1/messages", "{\"model\":\"m\"}", CLAUDE_CODE_HEADERS)
                    .statusCode());
        }
        assertThat(statuses).containsOnly(200);
        assertThat(upstream.requests()).hasSize(5);
        assertThat(upstream.requests().stream().map(RecordedRequest::connection).distinct())
                .as("requests in sequence reuse the pooled connection")
                .hasSize(1);
    }
}
