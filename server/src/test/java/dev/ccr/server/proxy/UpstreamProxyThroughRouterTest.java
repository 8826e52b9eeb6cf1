package dev.ccr.server.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ccr.server.testing.FakeHttpProxy;
import dev.ccr.server.testing.FakeSocksProxy;
import dev.ccr.server.testing.FakeUpstream;
import dev.ccr.server.testing.Http;
import dev.ccr.server.testing.RouterFixture;
import io.vertx.core.Vertx;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Upstream requests through an HTTP or SOCKS5 proxy. The endpoints name hosts under {@code .test}, which never resolve:
 * only the fake proxies know where they are, so a request that arrives went through the proxy.
 */
class UpstreamProxyThroughRouterTest {
    private static final String ANSWER = "{\"choices\":[{\"message\":{\"content\":\"proxied\"},\"finish_reason\":"
            + "\"stop\"}],\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":1}}";
    private static final String BASIC =
            "Basic " + Base64.getEncoder().encodeToString("me:p@ss word".getBytes(StandardCharsets.UTF_8));

    private static Vertx vertx;
    private static FakeUpstream upstream;
    private static FakeHttpProxy httpProxy;
    private static FakeSocksProxy socksProxy;

    @BeforeAll
    static void start() throws Exception {
        vertx = Vertx.vertx();
        upstream = FakeUpstream.start(vertx).respondWith(200, "application/json", ANSWER);
        Map<String, Integer> hosts =
                Map.of("glm.upstream.test", upstream.port(), "kimi.upstream.test", upstream.port());
        httpProxy = new FakeHttpProxy(vertx, hosts, BASIC);
        socksProxy = new FakeSocksProxy(hosts);
    }

    @AfterAll
    static void stop() throws Exception {
        socksProxy.close();
        httpProxy.close();
        upstream.close();
        vertx.close().await();
    }

    private static HttpResponse<String> ask(RouterFixture router, String model) {
        return Http.post(
                router.baseUrl() + "/v1/messages",
                "{\"model\":\"" + model + "\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
                Map.of("content-type", "application/json"));
    }

    @Test
    void theTopLevelProxyCarriesRequestsWithItsCredentialsAndAnEndpointMayUseSocksOrNone() {
        String config =
                """
                {
                  "proxy": "${PROXY}",
                  "endpoints": [
                    { "name": "glm", "type": "openai", "baseUrl": "http://glm.upstream.test/v1", "apiKey": "k" },
                    { "name": "kimi", "type": "openai", "baseUrl": "http://kimi.upstream.test/v1", "apiKey": "k",
                      "proxy": "socks5://127.0.0.1:%d" },
                    { "name": "local", "type": "openai", "baseUrl": "%s", "apiKey": "k" },
                    { "name": "direct", "type": "openai", "baseUrl": "%s", "apiKey": "k", "proxy": "none" }
                  ]
                }
                """
                        .formatted(socksProxy.port(), upstream.baseUrl(), upstream.baseUrl());
        String proxyUrl = "http://me:p%40ss%20word@127.0.0.1:" + httpProxy.port();
        int before = httpProxy.seen().size();
        try (RouterFixture router = RouterFixture.start(config, Map.of("PROXY", proxyUrl), false)) {
            HttpResponse<String> viaHttp = ask(router, "glm,glm-4.6");
            assertThat(viaHttp.statusCode()).as(viaHttp.body()).isEqualTo(200);
            assertThat(viaHttp.body()).contains("proxied");
            assertThat(httpProxy.seen().subList(before, httpProxy.seen().size()))
                    .singleElement()
                    .satisfies(seen -> {
                        assertThat(seen.uri()).isEqualTo("http://glm.upstream.test/v1/chat/completions");
                        assertThat(seen.proxyAuthorization()).isEqualTo(BASIC);
                    });
            assertThat(upstream.lastRequest().header("authorization")).isEqualTo("Bearer k");

            HttpResponse<String> viaSocks = ask(router, "kimi,kimi-k2");
            assertThat(viaSocks.statusCode()).as(viaSocks.body()).isEqualTo(200);
            assertThat(socksProxy.connected()).containsExactly("kimi.upstream.test:80");

            assertThat(ask(router, "local,m").statusCode()).isEqualTo(200);
            assertThat(ask(router, "direct,m").statusCode()).isEqualTo(200);
            assertThat(httpProxy.seen())
                    .as("loopback and 'none' endpoints are reached directly")
                    .hasSize(before + 1);
            assertThat(socksProxy.connected()).hasSize(1);
        }
    }

    @Test
    void claudeCodeRoutersProxyUrlAppliesToItsProviders() {
        String config =
                """
                {
                  "PROXY_URL": "$PROXY",
                  "Providers": [
                    { "name": "glm", "api_base_url": "http://glm.upstream.test/v4/chat/completions", "api_key": "k",
                      "models": ["glm-4.6"] }
                  ],
                  "Router": { "default": "glm,glm-4.6" }
                }
                """;
        int before = httpProxy.seen().size();
        String proxyUrl = "http://me:p%40ss%20word@127.0.0.1:" + httpProxy.port();
        try (RouterFixture router = RouterFixture.start(config, Map.of("PROXY", proxyUrl), false)) {
            HttpResponse<String> response = ask(router, "claude-sonnet-4-5");
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            assertThat(httpProxy.seen()).hasSize(before + 1);
            assertThat(httpProxy.seen().get(before).uri()).isEqualTo("http://glm.upstream.test/v4/chat/completions");
        }
    }
}
