package dev.ccr.server.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ccr.server.testing.FakeUpstream;
import dev.ccr.server.testing.Http;
import dev.ccr.server.testing.Loopback;
import dev.ccr.server.testing.RouterFixture;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A route with several targets, as a client sees it through the router: requests spread the way the strategy says; an
 * endpoint that just failed, is overloaded or keeps failing goes after the others instead of costing every request an
 * attempt; and none of that ever leaves a request without an endpoint to try.
 */
class BalancingThroughRouterTest {
    @RegisterExtension
    final Loopback loopback = new Loopback();

    static final String MESSAGE = "{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"m\","
            + "\"content\":[{\"type\":\"text\",\"text\":\"hi\"}],\"stop_reason\":\"end_turn\",\"stop_sequence\":null,"
            + "\"usage\":{\"input_tokens\":10,\"output_tokens\":2}}";
    static final Map<String, String> HEADERS = Map.of("content-type", "application/json", "x-api-key", "client");

    private FakeUpstream a;
    private FakeUpstream b;
    private RouterFixture router;

    @BeforeEach
    void upstreams() {
        a = loopback.upstream().respondWith(200, "application/json", MESSAGE);
        b = loopback.upstream().respondWith(200, "application/json", MESSAGE);
    }

    private void route(String defaultRoute, String extra) {
        router = loopback.router(
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
    void anEndpointThatJustFailedIsSkippedWhileAnotherCanServe() {
        route("[\"a\", \"b\"]", "");
        a.respondWith(
                500, "application/json", "{\"type\":\"error\",\"error\":{\"type\":\"api_error\",\"message\":\"x\"}}");

        HttpResponse<String> first = send(router);
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.headers().firstValue(Exchange.HEADER_ATTEMPTS)).hasValue("a=500, b=200");
        for (int i = 0; i < 5; i++) {
            HttpResponse<String> response = send(router);
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue(Exchange.HEADER_ENDPOINT)).hasValue("b");
            assertThat(response.headers().firstValue(Exchange.HEADER_ATTEMPTS))
                    .as("a failed a moment ago: b goes first, and costs no extra attempt")
                    .isEmpty();
        }
        assertThat(a.requests()).hasSize(1);
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
    void aBreakerNeverEmptiesARouteTheOnlyEndpointStillGetsEveryRequest() {
        route(
                "\"a\"",
                ", \"breaker\": {\"consecutiveFailures\": 1, \"coolDownMs\": 60000}, \"retry\": {\"maxAttempts\": 1}");
        a.respondWith(
                500, "application/json", "{\"type\":\"error\",\"error\":{\"type\":\"api_error\",\"message\":\"x\"}}");
        assertThat(send(router).statusCode()).isEqualTo(500);
        assertThat(metrics()).contains("ccr_endpoint_circuit_state{endpoint=\"a\",state=\"open\"} 1");

        a.respondWith(200, "application/json", MESSAGE);
        HttpResponse<String> response = send(router);
        assertThat(response.statusCode())
                .as("refused only because a breaker is open: never")
                .isEqualTo(200);
        assertThat(response.headers().firstValue("retry-after")).isEmpty();
        assertThat(a.requests()).hasSize(2);
        assertThat(metrics())
                .as("its success closed the circuit")
                .contains("ccr_endpoint_circuit_state{endpoint=\"a\",state=\"closed\"} 1");
    }

    @Test
    void whenEveryTargetIsOpenTheOneThatRecoversFirstGetsTheRequest() {
        route(
                "[\"a\", \"b\"]",
                ", \"breaker\": {\"consecutiveFailures\": 1, \"coolDownMs\": 60000}, \"retry\": {\"maxAttempts\": 1}");
        String failure = "{\"type\":\"error\",\"error\":{\"type\":\"api_error\",\"message\":\"x\"}}";
        a.respondWith(500, "application/json", failure);
        b.respondWith(500, "application/json", failure);
        assertThat(send(router).headers().firstValue(Exchange.HEADER_ENDPOINT)).hasValue("a");
        assertThat(send(router).headers().firstValue(Exchange.HEADER_ENDPOINT))
                .as("a is open: b goes first")
                .hasValue("b");
        a.respondWith(200, "application/json", MESSAGE);
        b.respondWith(200, "application/json", MESSAGE);

        HttpResponse<String> response = send(router);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue(Exchange.HEADER_ENDPOINT))
                .as("both open: a's cool-down ends first")
                .hasValue("a");
        assertThat(b.requests()).hasSize(1);
    }

    @Test
    void anOverloadedEndpointIsBusyNotBrokenAndTheSecondTargetAnswersEveryRequest() {
        route("[\"a\", \"b\"]", ", \"breaker\": {\"consecutiveFailures\": 2}");
        a.respondWith(
                529,
                "application/json",
                "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}");
        for (int i = 0; i < 10; i++) {
            HttpResponse<String> response = send(router);
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue(Exchange.HEADER_ENDPOINT)).hasValue("b");
        }
        assertThat(a.requests())
                .as("marked busy after its 529, a is not asked again while the mark lasts")
                .hasSize(1);
        assertThat(metrics())
                .as("busy is not broken")
                .contains("ccr_endpoint_circuit_state{endpoint=\"a\",state=\"closed\"} 1");
    }

    private String metrics() {
        return Http.get(router.baseUrl() + "/metrics", Map.of()).body();
    }
}
