package dev.ccr.server.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ccr.server.testing.FakeUpstream;
import dev.ccr.server.testing.Http;
import dev.ccr.server.testing.RouterFixture;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A route with several targets, as a client sees it through the router: requests spread the way the strategy says,
 * and an endpoint that keeps failing is skipped by its circuit breaker instead of costing every request an attempt.
 */
class BalancingThroughRouterTest {
    static final String MESSAGE = "{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"m\","
            + "\"content\":[{\"type\":\"text\",\"text\":\"hi\"}],\"stop_reason\":\"end_turn\",\"stop_sequence\":null,"
            + "\"usage\":{\"input_tokens\":10,\"output_tokens\":2}}";
    static final Map<String, String> HEADERS = Map.of("content-type", "application/json", "x-api-key", "client");

    private FakeUpstream a;
    private FakeUpstream b;
    private RouterFixture router;

    @BeforeEach
    void upstreams() {
        a = FakeUpstream.start().respondWith(200, "application/json", MESSAGE);
        b = FakeUpstream.start().respondWith(200, "application/json", MESSAGE);
    }

    @AfterEach
    void stop() {
        if (router != null) {
            router.close();
        }
        a.close();
        b.close();
    }

    private void route(String defaultRoute, String extra) {
        router = RouterFixture.start(
                """
                {
                  "endpoints": [
                    {"name": "a", "type": "anthropic", "baseUrl": "%s", "apiKey": "ka-0123456789" %s},
                    {"name": "b", "type": "anthropic", "baseUrl": "%s", "apiKey": "kb-0123456789"}
                  ],
                  "routes": {"default": %s}
                  %s
                }
                """
                        .formatted(
                                a.baseUrl(),
                                defaultRoute.contains("weighted") ? ", \"weight\": 3" : "",
                                b.baseUrl(),
                                defaultRoute,
                                extra));
    }

    static HttpResponse<String> send(RouterFixture router) {
        return Http.post(
                router.baseUrl() + "/v1/messages",
                "{\"model\":\"claude-test\",\"max_tokens\":10,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
                HEADERS);
    }

    private List<String> endpointsOf(int requests) {
        List<String> served = new ArrayList<>();
        for (int i = 0; i < requests; i++) {
            HttpResponse<String> response = send(router);
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            served.add(response.headers().firstValue(Exchange.HEADER_ENDPOINT).orElseThrow());
        }
        return served;
    }

    @Test
    void roundRobinAlternatesBetweenTheTargets() {
        route("{\"targets\": [\"a\", \"b\"], \"strategy\": \"round-robin\"}", "");
        List<String> served = endpointsOf(10);
        assertThat(served).containsExactly("a", "b", "a", "b", "a", "b", "a", "b", "a", "b");
        assertThat(a.requests()).hasSize(5);
        assertThat(b.requests()).hasSize(5);
    }

    @Test
    void weightedSendsEachEndpointItsShare() {
        route("{\"targets\": [\"a\", \"b\"], \"strategy\": \"weighted\"}", "");
        endpointsOf(40);
        assertThat(a.requests()).hasSize(30);
        assertThat(b.requests()).hasSize(10);
    }

    @Test
    void failoverUsesTheSecondTargetOnlyWhenTheFirstFails() {
        route("[\"a\", \"b\"]", "");
        assertThat(endpointsOf(3)).containsOnly("a");
        a.respondWith(
                503, "application/json", "{\"type\":\"error\",\"error\":{\"type\":\"api_error\",\"message\":\"x\"}}");
        HttpResponse<String> response = send(router);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue(Exchange.HEADER_ATTEMPTS)).hasValue("a=503, b=200");
    }

    @Test
    void anEndpointThatKeepsFailingIsSkippedUntilItsCoolDownEnds() {
        route("[\"a\", \"b\"]", ", \"breaker\": {\"consecutiveFailures\": 2, \"coolDownMs\": 60000}");
        a.respondWith(
                500, "application/json", "{\"type\":\"error\",\"error\":{\"type\":\"api_error\",\"message\":\"x\"}}");

        for (int i = 0; i < 2; i++) {
            HttpResponse<String> response = send(router);
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue(Exchange.HEADER_ATTEMPTS)).hasValue("a=500, b=200");
        }
        int triedBefore = a.requests().size();
        for (int i = 0; i < 5; i++) {
            HttpResponse<String> response = send(router);
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue(Exchange.HEADER_ENDPOINT)).hasValue("b");
            assertThat(response.headers().firstValue(Exchange.HEADER_ATTEMPTS))
                    .as("an open circuit costs no attempt")
                    .isEmpty();
        }
        assertThat(a.requests()).as("the open endpoint is not called").hasSize(triedBefore);
        assertThat(Http.get(router.baseUrl() + "/metrics", Map.of()).body())
                .contains("ccr_endpoint_circuit_state{endpoint=\"a\",state=\"open\"} 1")
                .contains("ccr_endpoint_circuit_state{endpoint=\"b\",state=\"closed\"} 1");
    }

    @Test
    void theCircuitGaugeSaysHalfOpenOnceTheCoolDownIsOverWithoutWaitingForARequest() {
        route(
                "\"a\"",
                ", \"breaker\": {\"consecutiveFailures\": 1, \"coolDownMs\": 500}, \"retry\": {\"maxAttempts\": 1}");
        a.respondWith(
                500, "application/json", "{\"type\":\"error\",\"error\":{\"type\":\"api_error\",\"message\":\"x\"}}");
        assertThat(send(router).statusCode()).isEqualTo(500);
        assertThat(Http.get(router.baseUrl() + "/metrics", Map.of()).body())
                .contains("ccr_endpoint_circuit_state{endpoint=\"a\",state=\"open\"} 1");

        org.awaitility.Awaitility.await()
                .atMost(java.time.Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(Http.get(router.baseUrl() + "/metrics", Map.of())
                                .body())
                        .contains("ccr_endpoint_circuit_state{endpoint=\"a\",state=\"half_open\"} 1")
                        .contains("ccr_endpoint_circuit_state{endpoint=\"a\",state=\"open\"} 0"));
        assertThat(a.requests()).hasSize(1);
    }

    @Test
    void whenEveryTargetIsSkippedTheClientIsToldWhyAndWhenToComeBack() {
        route(
                "\"a\"",
                ", \"breaker\": {\"consecutiveFailures\": 1, \"coolDownMs\": 60000}, \"retry\": {\"maxAttempts\": 1}");
        a.respondWith(
                500, "application/json", "{\"type\":\"error\",\"error\":{\"type\":\"api_error\",\"message\":\"x\"}}");
        assertThat(send(router).statusCode()).isEqualTo(500);

        HttpResponse<String> response = send(router);
        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.body())
                .contains("\"type\":\"error\"")
                .contains("no endpoint of route")
                .contains("a: ");
        assertThat(response.headers().firstValue("retry-after")).isPresent();
        assertThat(a.requests()).hasSize(1);
    }
}
