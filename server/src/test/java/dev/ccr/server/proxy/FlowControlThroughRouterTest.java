package dev.ccr.server.proxy;

import static dev.ccr.server.proxy.BalancingThroughRouterTest.MESSAGE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ccr.server.json.Json;
import dev.ccr.server.testing.FakeUpstream;
import dev.ccr.server.testing.Http;
import dev.ccr.server.testing.Loopback;
import dev.ccr.server.testing.RouterFixture;
import io.vertx.core.http.HttpServerResponse;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Limits as a client meets them through the router: a refusal is a 429 in Anthropic shape that says when to come back
 * and that coming back helps (or not, for a spent budget); a short queue turns a refusal into a wait; per-endpoint
 * limits move requests to another target instead of refusing them.
 */
class FlowControlThroughRouterTest {
    @RegisterExtension
    final Loopback loopback = new Loopback();

    private static final String TOKEN_A = "team-a-token-0123456789";
    private static final String TOKEN_B = "team-b-token-0123456789";

    private FakeUpstream a;
    private FakeUpstream b;
    private RouterFixture router;
    private final List<HttpServerResponse> held = new CopyOnWriteArrayList<>();

    @BeforeEach
    void upstreams() {
        a = loopback.upstream().respondWith(200, "application/json", MESSAGE);
        b = loopback.upstream().respondWith(200, "application/json", MESSAGE);
    }

    private void start(String limits, String endpointALimits, String defaultRoute) {
        router = loopback.router(
                """
                {
                  "auth": {"tokens": [{"name": "team-a", "token": "%s"}, {"name": "team-b", "token": "%s"}]},
                  "endpoints": [
                    {"name": "a", "type": "anthropic", "baseUrl": "%s", "apiKey": "ka-0123456789" %s},
                    {"name": "b", "type": "anthropic", "baseUrl": "%s", "apiKey": "kb-0123456789"}
                  ],
                  "routes": {"default": %s},
                  "pricing": {"a,claude-test": {"input": 1000000, "output": 1000000}},
                  "limits": %s
                }
                """
                        .formatted(TOKEN_A, TOKEN_B, a.baseUrl(), endpointALimits, b.baseUrl(), defaultRoute, limits));
    }

    private HttpResponse<String> send(String token) {
        return Http.post(
                router.baseUrl() + "/v1/messages",
                "{\"model\":\"claude-test\",\"max_tokens\":10,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
                Map.of("content-type", "application/json", "authorization", "Bearer " + token));
    }

    private CompletableFuture<HttpResponse<String>> sendAsync(String token) {
        return CompletableFuture.supplyAsync(() -> send(token));
    }

    /** The upstream takes each request and answers only when told: requests stay in flight meanwhile. */
    private void hold(FakeUpstream upstream) {
        upstream.respond((request, response) -> held.add(response));
    }

    private void release() {
        for (HttpServerResponse response : held) {
            a.vertx().runOnContext(v -> response.putHeader("content-type", "application/json")
                    .end(MESSAGE));
        }
        held.clear();
    }

    private static JsonNode error(HttpResponse<String> response) throws Exception {
        JsonNode body = Json.MAPPER.readTree(response.body());
        assertThat(body.path("type").asText()).isEqualTo("error");
        return body.path("error");
    }

    @Test
    void aClientOverItsRequestsPerMinuteGetsA429ThatSaysWhenToComeBack() throws Exception {
        start("{\"tokens\": {\"team-a\": {\"requestsPerMinute\": 2}}}", "", "\"a\"");
        assertThat(send(TOKEN_A).statusCode()).isEqualTo(200);
        assertThat(send(TOKEN_A).statusCode()).isEqualTo(200);

        HttpResponse<String> refused = send(TOKEN_A);
        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(error(refused).path("type").asText()).isEqualTo("rate_limit_error");
        assertThat(error(refused).path("message").asText()).contains("team-a").contains("requestsPerMinute");
        long retryAfter =
                Long.parseLong(refused.headers().firstValue("retry-after").orElseThrow());
        assertThat(retryAfter).isBetween(1L, 60L);
        assertThat(refused.headers().firstValue("x-should-retry")).hasValue("true");
        assertThat(a.requests())
                .as("a refused request never reaches the upstream")
                .hasSize(2);

        assertThat(send(TOKEN_B).statusCode())
                .as("each token has its own limits")
                .isEqualTo(200);
    }

    @Test
    void withAQueueAClientOverItsConcurrencyWaitsInsteadOfBeingRefused() throws Exception {
        start("{\"default\": {\"maxConcurrent\": 1}, \"queueMs\": 5000}", "", "\"a\"");
        hold(a);
        CompletableFuture<HttpResponse<String>> first = sendAsync(TOKEN_A);
        await().atMost(Duration.ofSeconds(10)).until(() -> held.size() == 1);
        CompletableFuture<HttpResponse<String>> second = sendAsync(TOKEN_A);
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5)).until(() -> held.size() == 1);
        assertThat(second).as("waiting in the queue").isNotDone();

        a.respondWith(200, "application/json", MESSAGE);
        release();
        assertThat(first.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        assertThat(second.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        // Permits go back as each exchange finishes, just after its last byte went out.
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            assertThat(router.runtime().flow().clients().inFlight("team-a")).isZero();
            assertThat(router.runtime().flow().queue().size()).isZero();
        });
    }

    @Test
    void withoutAQueueTheSameRequestIsRefusedAtOnce() throws Exception {
        start("{\"default\": {\"maxConcurrent\": 1}}", "", "\"a\"");
        hold(a);
        CompletableFuture<HttpResponse<String>> first = sendAsync(TOKEN_A);
        await().atMost(Duration.ofSeconds(10)).until(() -> held.size() == 1);

        HttpResponse<String> refused = send(TOKEN_A);
        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(error(refused).path("message").asText()).contains("maxConcurrent");

        a.respondWith(200, "application/json", MESSAGE);
        release();
        assertThat(first.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    }

    @Test
    void anEndpointAtItsConcurrencyLimitPassesRequestsToTheNextTarget() throws Exception {
        start("{}", ", \"maxConcurrent\": 1", "[\"a\", \"b\"]");
        hold(a);
        CompletableFuture<HttpResponse<String>> first = sendAsync(TOKEN_A);
        await().atMost(Duration.ofSeconds(10)).until(() -> held.size() == 1);

        HttpResponse<String> second = send(TOKEN_A);
        assertThat(second.statusCode()).isEqualTo(200);
        assertThat(second.headers().firstValue(Exchange.HEADER_ENDPOINT)).hasValue("b");

        a.respondWith(200, "application/json", MESSAGE);
        release();
        assertThat(first.get(10, TimeUnit.SECONDS).headers().firstValue(Exchange.HEADER_ENDPOINT))
                .hasValue("a");
        await().atMost(Duration.ofSeconds(5))
                .untilAsserted(
                        () -> assertThat(router.runtime().flow().inFlight("a")).isZero());
    }

    @Test
    void aSpentDailyBudgetRefusesAndSaysWaitingMinutesWillNotHelp() throws Exception {
        start("{\"tokens\": {\"team-a\": {\"dailyBudgetUsd\": 1}}}", "", "\"a\"");
        // 12 tokens at a million dollars per million tokens: $12, far over the $1 budget.
        assertThat(send(TOKEN_A).statusCode()).isEqualTo(200);

        await().atMost(Duration.ofSeconds(10)).until(() -> send(TOKEN_A).statusCode() == 429);
        HttpResponse<String> refused = send(TOKEN_A);
        assertThat(error(refused).path("message").asText())
                .contains("daily budget")
                .contains("team-a");
        assertThat(refused.headers().firstValue("x-should-retry")).hasValue("false");
        assertThat(Long.parseLong(refused.headers().firstValue("retry-after").orElseThrow()))
                .as("until midnight")
                .isPositive();
        assertThat(send(TOKEN_B).statusCode()).as("only team-a has a budget").isEqualTo(200);
    }
}
