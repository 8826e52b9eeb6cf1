package dev.ccr.server.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ccr.server.testing.FakeKeys;
import dev.ccr.server.testing.FakeUpstream;
import dev.ccr.server.testing.FaultTimeline;
import dev.ccr.server.testing.Http;
import dev.ccr.server.testing.Loopback;
import dev.ccr.server.testing.RouterFixture;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The most common set-up — one Anthropic endpoint, the seed's config, nothing said about retries or breakers — with
 * Claude Code's own headers: the router adds nothing to a failure. Each 429 or 529 costs one upstream call and reaches
 * Claude Code at once, exactly as the upstream sent it (Claude Code retries by itself), and a healthy request right
 * after is answered: no circuit breaker ever stands between Claude Code and its only endpoint.
 */
class OneEndpointFailuresTest {
    @RegisterExtension
    final Loopback loopback = new Loopback();

    private static final Map<String, String> CLAUDE_CODE = Map.of(
            "content-type", "application/json",
            "authorization", "Bearer " + FakeKeys.anthropic("oat01-own"),
            "anthropic-version", "2023-06-01",
            "x-app", "cli",
            "user-agent", "claude-cli/2.1.332 (external, cli)",
            "x-stainless-retry-count", "0");

    private FakeUpstream upstream;
    private RouterFixture router;

    private FaultTimeline start(List<FaultTimeline.Step> steps) {
        upstream = loopback.upstream();
        FaultTimeline timeline = new FaultTimeline(upstream.vertx(), steps);
        upstream.respond(timeline);
        router = loopback.router(RouterFixture.anthropicConfig(upstream.baseUrl(), null));
        return timeline;
    }

    private HttpResponse<String> send() {
        return Http.post(
                router.baseUrl() + "/v1/messages?beta=true",
                "{\"model\":\"claude-opus-5-5\",\"max_tokens\":64,\"stream\":true,"
                        + "\"messages\":[{\"role\":\"user\",\"content\":\"say hi\"}]}",
                CLAUDE_CODE);
    }

    @Test
    void overloadedAndRateLimitedAnswersReachClaudeCodeAtOnceAsTheyCame() {
        FaultTimeline timeline = start(List.of(
                FaultTimeline.status(529, "overloaded_error"),
                FaultTimeline.status(529, "overloaded_error"),
                new FaultTimeline.Status(429, "rate_limit_error", "7"),
                FaultTimeline.OK));
        int[] statuses = {529, 529, 429};
        for (int i = 0; i < statuses.length; i++) {
            HttpResponse<String> response = send();
            long millis = System.currentTimeMillis() - timeline.lastCallAt();

            assertThat(response.statusCode()).isEqualTo(statuses[i]);
            assertThat(timeline.calls()).as("one upstream call per request").isEqualTo(i + 1);
            assertThat(millis)
                    .as("from the upstream's answer to Claude Code: no waiting")
                    .isLessThan(1_000);
            assertThat(response.body())
                    .as("the upstream's own body")
                    .isEqualTo("{\"type\":\"error\",\"error\":{\"type\":\""
                            + (statuses[i] == 429 ? "rate_limit_error" : "overloaded_error")
                            + "\",\"message\":\"timeline "
                            + statuses[i] + "\"}}");
            assertThat(response.headers().firstValue("request-id")).hasValue("req_timeline_" + (i + 1));
            assertThat(response.headers().firstValue("x-should-retry"))
                    .as("the upstream said nothing: Claude Code decides as it would directly")
                    .isEmpty();
            assertThat(response.headers().firstValue("retry-after"))
                    .as("the upstream's own wait, never one of the router's")
                    .isEqualTo(statuses[i] == 429 ? java.util.Optional.of("7") : java.util.Optional.empty());
        }

        HttpResponse<String> healthy = send();
        assertThat(healthy.statusCode()).isEqualTo(200);
        assertThat(healthy.body()).contains("message_stop");
        assertThat(timeline.calls()).as("sent on at once: nothing held it back").isEqualTo(4);
    }

    @Test
    void anEndpointWhoseCircuitOpenedStillGetsEveryRequestAndItsRecoveryClosesIt() {
        // The seed's breaker opens after five failures in a row; ten server errors are well past that.
        List<FaultTimeline.Step> steps =
                new ArrayList<>(Collections.nCopies(10, FaultTimeline.status(500, "api_error")));
        steps.add(FaultTimeline.OK);
        FaultTimeline timeline = start(steps);
        for (int i = 0; i < 10; i++) {
            HttpResponse<String> response = send();
            assertThat(response.statusCode())
                    .as("the upstream's own answer, every time")
                    .isEqualTo(500);
            assertThat(response.headers().firstValue("retry-after")).isEmpty();
        }
        assertThat(timeline.calls()).isEqualTo(10);
        assertThat(metrics()).contains("ccr_endpoint_circuit_state{endpoint=\"anthropic\",state=\"open\"} 1");

        HttpResponse<String> healthy = send();
        assertThat(healthy.statusCode()).isEqualTo(200);
        assertThat(metrics()).contains("ccr_endpoint_circuit_state{endpoint=\"anthropic\",state=\"closed\"} 1");
    }

    @Test
    void aRefusedConnectionIsTriedOnceMoreAtOnceThenAnsweredWithTheReason() throws Exception {
        int port;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        upstream = loopback.upstream();
        router = loopback.router(RouterFixture.anthropicConfig("http://127.0.0.1:" + port + "/v1", null));
        send(); // the first request of a fresh router loads its classes: time the second
        long started = System.nanoTime();
        HttpResponse<String> response = send();
        assertThat(response.statusCode()).isEqualTo(502);
        assertThat(response.body())
                .contains("cannot connect to endpoint \\\"anthropic\\\"")
                .contains("refused");
        assertThat(response.headers().firstValue(Exchange.HEADER_ATTEMPTS))
                .as("a connection that was never made is the one failure tried again, at once")
                .hasValue("anthropic=unreachable, anthropic=unreachable");
        assertThat((System.nanoTime() - started) / 1_000_000).isLessThan(1_000);
    }

    private String metrics() {
        return Http.get(router.baseUrl() + "/metrics", Map.of()).body();
    }
}
