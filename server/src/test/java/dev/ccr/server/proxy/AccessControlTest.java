package dev.ccr.server.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ccr.server.testing.FakeUpstream;
import dev.ccr.server.testing.Http;
import dev.ccr.server.testing.RouterFixture;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** docs/SECURITY.md: router tokens, the Host and Origin guards, and what stays open. */
class AccessControlTest {
    private static final String TOKEN = "team-token-0123456789";
    private static FakeUpstream upstream;
    private static RouterFixture router;

    @BeforeAll
    static void start() {
        upstream = FakeUpstream.start().respondWith(200, "application/json", "{}");
        router = RouterFixture.start(
                """
                {"auth": {"tokens": [{"name": "alice", "token": "%s"}], "allowedHosts": ["ccr.internal"],
                          "allowedOrigins": ["vscode-webview://trusted"]},
                 "endpoints": [{"name": "a", "type": "anthropic", "baseUrl": "%s", "apiKey": "sk-endpoint-key"}]}"""
                        .formatted(TOKEN, upstream.baseUrl()));
    }

    @AfterAll
    static void stop() {
        router.close();
        upstream.close();
    }

    private static int post(Map<String, String> headers) {
        return Http.post(router.baseUrl() + "/v1/messages", "{\"model\":\"m\"}", headers)
                .statusCode();
    }

    @Test
    void aRouterTokenIsRequiredWhenConfigured() {
        var response = Http.post(router.baseUrl() + "/v1/messages", "{\"model\":\"m\"}", Map.of());
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.body()).contains("authentication_error").contains("requires a token");
        assertThat(post(Map.of("x-api-key", "wrong-token-123"))).isEqualTo(401);
    }

    @Test
    void theTokenIsAcceptedInEitherHeaderWithOrWithoutTheCcrPrefix() {
        assertThat(post(Map.of("x-api-key", TOKEN))).isEqualTo(200);
        assertThat(post(Map.of("authorization", "Bearer " + TOKEN))).isEqualTo(200);
        assertThat(post(Map.of("authorization", "Bearer ccr:" + TOKEN))).isEqualTo(200);
        assertThat(upstream.lastRequest().header("x-api-key")).isEqualTo("sk-endpoint-key");
        assertThat(upstream.lastRequest().header("authorization")).isNull();
    }

    @Test
    void aForeignHostIsRefusedToDefeatDnsRebinding() throws IOException {
        assertThat(rawStatus("evil.example.com")).isEqualTo(403);
        assertThat(rawStatus("localhost:" + router.port())).isEqualTo(200);
        assertThat(rawStatus("127.0.0.1:" + router.port())).isEqualTo(200);
        assertThat(rawStatus("ccr.internal:" + router.port()))
                .as("listed in allowedHosts")
                .isEqualTo(200);
    }

    @Test
    void aClientThatUpgradesToHttp2IsServedToo() throws Exception {
        // The JDK's default client asks for an h2c upgrade; the router answers in HTTP/1.1, which the client accepts.
        java.net.http.HttpClient http2 = java.net.http.HttpClient.newHttpClient();
        var response = http2.send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(router.baseUrl() + "/v1/messages"))
                        .header("x-api-key", TOKEN)
                        .header("content-type", "application/json")
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"model\":\"m\"}"))
                        .build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }

    @Test
    void aBrowserOriginIsRefusedUnlessAllowed() {
        var refused = Http.post(
                router.baseUrl() + "/v1/messages",
                "{\"model\":\"m\"}",
                Map.of("x-api-key", TOKEN, "origin", "https://evil.example.com"));
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.body()).contains("permission_error").contains("https://evil.example.com");
        assertThat(post(Map.of("x-api-key", TOKEN, "origin", "vscode-webview://trusted")))
                .isEqualTo(200);
    }

    @Test
    void healthAndTheStartupProbeNeedNoCredentials() {
        assertThat(Http.get(router.baseUrl() + "/health", Map.of()).body()).contains("\"status\":\"ok\"");
        var head = Http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(router.baseUrl() + "/"))
                .method("HEAD", java.net.http.HttpRequest.BodyPublishers.noBody())
                .build());
        assertThat(head.statusCode()).isEqualTo(200);
    }

    /** Sends a request with a chosen Host header, which the JDK client does not allow setting. */
    private static int rawStatus(String host) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", router.port())) {
            String body = "{\"model\":\"m\"}";
            String request = "POST /v1/messages HTTP/1.1\r\nHost: " + host + "\r\nx-api-key: " + TOKEN
                    + "\r\ncontent-type: application/json\r\ncontent-length: " + body.length()
                    + "\r\nconnection: close\r\n\r\n" + body;
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            String statusLine = new String(in.readNBytes(12), StandardCharsets.US_ASCII);
            return Integer.parseInt(statusLine.substring(9, 12));
        }
    }
}
