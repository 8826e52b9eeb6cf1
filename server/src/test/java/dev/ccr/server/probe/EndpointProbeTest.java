package dev.ccr.server.probe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ccr.protocol.endpoints.AuthCheck;
import dev.ccr.protocol.endpoints.TestEndpointResult;
import dev.ccr.server.config.EffectiveConfig;
import dev.ccr.server.config.Endpoint;
import dev.ccr.server.config.EndpointType;
import dev.ccr.server.config.Provider;
import dev.ccr.server.config.Secret;
import dev.ccr.server.config.UpstreamProxy;
import dev.ccr.server.config.WireFormat;
import dev.ccr.server.testing.FakeUpstream;
import java.net.ServerSocket;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class EndpointProbeTest {
    private final EndpointProbe probe = new EndpointProbe();

    private static Endpoint endpoint(EndpointType type, WireFormat format, String baseUrl, Secret key) {
        return new Endpoint(
                "e",
                type,
                format,
                URI.create(baseUrl),
                key,
                Map.of("x-extra", Secret.of("on")),
                List.of(),
                Map.of(),
                Provider.GENERIC,
                Provider.GENERIC.preset(),
                1,
                EffectiveConfig.RateLimits.NONE,
                EffectiveConfig.Timeouts.DEFAULTS,
                null);
    }

    @Test
    void anOpenAiEndpointIsAskedForItsModelsWithABearerKey() throws Exception {
        try (FakeUpstream upstream = FakeUpstream.start()) {
            upstream.respondWith(200, "application/json", "{\"object\":\"list\",\"data\":[{\"id\":\"glm-4.6\"}]}");
            List<String> steps = new CopyOnWriteArrayList<>();

            TestEndpointResult result = probe.probe(
                            endpoint(EndpointType.OPENAI, WireFormat.OPENAI, upstream.baseUrl(), Secret.of("sk-1")),
                            Secret.of("sk-1"),
                            (step, state, message) -> steps.add(step + ":" + state))
                    .get(10, TimeUnit.SECONDS);

            assertThat(result.auth()).isEqualTo(AuthCheck.ACCEPTED);
            assertThat(result.models()).containsExactly("glm-4.6");
            assertThat(upstream.lastRequest().path()).isEqualTo("/v1/models");
            assertThat(upstream.lastRequest().header("authorization")).isEqualTo("Bearer sk-1");
            assertThat(upstream.lastRequest().header("x-extra")).isEqualTo("on");
            assertThat(steps)
                    .containsExactly(
                            "CONNECT:STARTED", "CONNECT:SUCCEEDED", "AUTHENTICATE:SUCCEEDED", "LIST_MODELS:SUCCEEDED");
        }
    }

    @Test
    void geminiModelsLoseTheirPrefix() throws Exception {
        try (FakeUpstream upstream = FakeUpstream.start()) {
            upstream.respondWith(
                    200, "application/json", "{\"models\":[{\"name\":\"models/gemini-2.5-pro\"},{\"name\":\"x\"}]}");
            TestEndpointResult result = probe.probe(
                            endpoint(EndpointType.GEMINI, WireFormat.GEMINI, upstream.baseUrl(), null),
                            Secret.of("g-key"),
                            EndpointProbe.Progress.NONE)
                    .get(10, TimeUnit.SECONDS);
            assertThat(result.models()).containsExactly("gemini-2.5-pro", "x");
            assertThat(upstream.lastRequest().header("x-goog-api-key")).isEqualTo("g-key");
            assertThat(upstream.lastRequest().query()).isEqualTo("pageSize=1000");
        }
    }

    @Test
    void aRejectedKeyIsReportedWithoutTheKey() throws Exception {
        try (FakeUpstream upstream = FakeUpstream.start()) {
            upstream.respondWith(
                    401, "application/json", "{\"error\":{\"message\":\"Incorrect API key provided: sk-secret-1\"}}");
            TestEndpointResult result = probe.probe(
                            endpoint(EndpointType.OPENAI, WireFormat.OPENAI, upstream.baseUrl(), null),
                            Secret.of("sk-secret-1"),
                            EndpointProbe.Progress.NONE)
                    .get(10, TimeUnit.SECONDS);
            assertThat(result.auth()).isEqualTo(AuthCheck.REJECTED);
            assertThat(result.httpStatus()).isEqualTo(401);
            assertThat(result.message())
                    .isEqualTo("endpoint \"e\" answered in " + result.latencyMillis() + " ms but refused the request"
                            + " (HTTP 401: Incorrect API key provided: ***); check its key");
        }
    }

    @Test
    void aMissingModelListSaysWhereItLooked() throws Exception {
        try (FakeUpstream upstream = FakeUpstream.start()) {
            upstream.respondWith(404, "text/html", "<h1>Not Found</h1>");
            TestEndpointResult result = probe.probe(
                            endpoint(EndpointType.CUSTOM, WireFormat.OPENAI, upstream.baseUrl(), null),
                            null,
                            EndpointProbe.Progress.NONE)
                    .get(10, TimeUnit.SECONDS);
            assertThat(result.reachable()).isTrue();
            assertThat(result.auth()).isEqualTo(AuthCheck.UNKNOWN);
            assertThat(result.message()).contains("has no model list at " + upstream.baseUrl() + "/models (HTTP 404)");
        }
    }

    @Test
    void aClosedPortIsUnreachable() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        List<String> steps = new CopyOnWriteArrayList<>();
        long start = System.nanoTime();
        TestEndpointResult result = probe.probe(
                        endpoint(EndpointType.OPENAI, WireFormat.OPENAI, "http://127.0.0.1:" + port + "/v1", null),
                        null,
                        (step, state, message) -> steps.add(step + ":" + state))
                .get(20, TimeUnit.SECONDS);
        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(5_000);
        assertThat(result.reachable()).isFalse();
        assertThat(result.message())
                .isEqualTo(
                        "cannot connect to http://127.0.0.1:" + port + ": connection refused; is the server running?");
        assertThat(steps).contains("CONNECT:FAILED", "AUTHENTICATE:SKIPPED", "LIST_MODELS:SKIPPED");
    }

    @Test
    void anEndpointBehindAProxySaysTheTestWentDirectly() throws Exception {
        Endpoint direct = endpoint(EndpointType.OPENAI, WireFormat.OPENAI, "http://glm.upstream.test/v1", null);
        UpstreamProxy proxy = new UpstreamProxy(UpstreamProxy.Kind.SOCKS5, "127.0.0.1", 1080, "me", Secret.of("pw"));
        Endpoint proxied = new Endpoint(
                direct.name(),
                direct.type(),
                direct.format(),
                direct.baseUrl(),
                direct.apiKey(),
                direct.headers(),
                direct.models(),
                direct.modelMap(),
                direct.provider(),
                direct.quirks(),
                direct.weight(),
                direct.limits(),
                direct.timeouts(),
                proxy);
        TestEndpointResult result =
                probe.probe(proxied, null, EndpointProbe.Progress.NONE).get(20, TimeUnit.SECONDS);
        assertThat(result.reachable()).isFalse();
        assertThat(result.message())
                .startsWith("cannot resolve the host glm.upstream.test")
                .endsWith("(this test connects directly; the router's requests go through the proxy"
                        + " socks5://me:***@127.0.0.1:1080)");
    }
}
