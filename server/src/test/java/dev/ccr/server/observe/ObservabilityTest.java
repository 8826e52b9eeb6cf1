package dev.ccr.server.observe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ccr.server.json.Json;
import dev.ccr.server.observe.usage.Grouping;
import dev.ccr.server.observe.usage.UsageGroup;
import dev.ccr.server.observe.usage.UsageReport;
import dev.ccr.server.testing.FakeUpstream;
import dev.ccr.server.testing.Http;
import dev.ccr.server.testing.Loopback;
import dev.ccr.server.testing.PrometheusText;
import dev.ccr.server.testing.RouterFixture;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Real traffic through a real router to a fake upstream, then everything that watched it: the request log line, the
 * Prometheus metrics, the usage database and the live stats, with the costs worked out by hand from the published
 * prices.
 */
class ObservabilityTest {
    @RegisterExtension
    final Loopback loopback = new Loopback();

    static final String SESSION = "5d1b7c0e-1f2a-4f7e-9a43-6c1d2e3f4a5b";
    private static final String MODEL = "claude-sonnet-4-5-20250929";
    /** Claude Sonnet 4.5: $3 input, $15 output, $3.75 cache writes, $0.30 cache reads, per million tokens. */
    private static final double STREAM_COST = (120 * 3 + 50 * 15 + 2000 * 3.75 + 30000 * 0.30) / 1e6;

    private final FakeUpstream upstream = loopback.upstream();
    private RouterFixture router;

    private void startRouter(String extra) {
        router = loopback.router(
                """
                {"endpoints": [{"name": "anthropic", "type": "anthropic", "baseUrl": "%s", "apiKey": "k-12345678"}]%s}
                """
                        .formatted(upstream.baseUrl(), extra));
    }

    static HttpResponse<String> ask(RouterFixture router, String model, boolean stream) {
        return Http.post(
                router.baseUrl() + "/v1/messages?beta=true",
                "{\"model\":\"" + model + "\",\"max_tokens\":100,\"stream\":" + stream
                        + ",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
                Map.of(
                        "content-type", "application/json",
                        "anthropic-version", "2023-06-01",
                        "x-claude-code-session-id", SESSION));
    }

    /** Waits until {@code count} requests were recorded (a client may have its answer a moment before), then flushes. */
    static void awaitRecorded(RouterFixture router, long count) {
        await().atMost(Duration.ofSeconds(10))
                .until(() -> router.runtime().stats().live().total().usage().requests() >= count);
        assertThat(router.runtime().observability().flush(Duration.ofSeconds(10)))
                .isTrue();
    }

    private List<JsonNode> logLines(int count) throws Exception {
        awaitRecorded(router, count);
        Path file = router.home().resolve("logs").resolve("requests-" + router.port() + ".jsonl");
        return Files.readAllLines(file).stream().map(ObservabilityTest::parse).toList();
    }

    private static JsonNode parse(String line) {
        try {
            return Json.MAPPER.readTree(line);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + line, e);
        }
    }

    private String metrics() {
        HttpResponse<String> response = Http.get(router.baseUrl() + "/metrics", Map.of());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type").orElseThrow()).startsWith("text/plain");
        return response.body();
    }

    private UsageReport today(Grouping by) throws Exception {
        LocalDate today = LocalDate.now();
        return router.runtime().stats().usage(today, today, by, null).orElseThrow();
    }

    @Test
    void aStreamedAnswerIsLoggedMeasuredStoredAndPricedWithItsCacheTokens() throws Exception {
        startRouter("");
        upstream.respond((request, response) -> response.putHeader("content-type", "text/event-stream")
                .end(UsageFrames.stream(MODEL, 120, 2000, 30000, 50)));

        HttpResponse<String> answer = ask(router, MODEL, true);
        assertThat(answer.statusCode()).isEqualTo(200);
        String requestId = answer.headers().firstValue("x-ccr-request-id").orElseThrow();

        JsonNode line = logLines(1).get(0);
        assertThat(line.path("requestId").asText()).isEqualTo(requestId);
        assertThat(line.path("sessionId").asText()).isEqualTo(SESSION);
        assertThat(line.path("client").asText()).isEqualTo("local");
        assertThat(line.path("route").asText()).isEqualTo("default");
        assertThat(line.path("endpoint").asText()).isEqualTo("anthropic");
        assertThat(line.path("upstreamModel").asText()).isEqualTo(MODEL);
        assertThat(line.path("status").asInt()).isEqualTo(200);
        assertThat(line.path("errorType").isNull()).isTrue();
        assertThat(line.path("stream").asBoolean()).isTrue();
        assertThat(line.path("attempts").asInt()).isEqualTo(1);
        assertThat(line.path("cacheHit").asBoolean()).isFalse();
        assertThat(line.path("inputTokens").asLong()).isEqualTo(120);
        assertThat(line.path("outputTokens").asLong()).isEqualTo(50);
        assertThat(line.path("cacheCreationTokens").asLong()).isEqualTo(2000);
        assertThat(line.path("cacheReadTokens").asLong()).isEqualTo(30000);
        assertThat(line.path("costUsd").asDouble()).isCloseTo(STREAM_COST, within(1e-9));
        long total = line.path("totalMs").asLong();
        assertThat(line.path("ttfbMs").asLong()).isBetween(0L, total);
        assertThat(line.path("upstreamMs").asLong()).isBetween(0L, total);
        assertThat(line.path("overheadMs").asDouble()).isGreaterThan(0).isLessThanOrEqualTo(total + 1.0);
        assertThat(line.has("request")).as("bodies are off by default").isFalse();
        assertThat(line.path("time").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");

        String metrics = metrics();
        String[] labels = {"endpoint", "anthropic", "model", MODEL};
        assertThat(PrometheusText.value(
                        metrics,
                        "ccr_requests_total",
                        "operation",
                        "messages",
                        "endpoint",
                        "anthropic",
                        "model",
                        MODEL,
                        "status",
                        "200"))
                .isEqualTo(1.0);
        assertThat(PrometheusText.value(metrics, "ccr_tokens_total", withType(labels, "input")))
                .isEqualTo(120.0);
        assertThat(PrometheusText.value(metrics, "ccr_tokens_total", withType(labels, "output")))
                .isEqualTo(50.0);
        assertThat(PrometheusText.value(metrics, "ccr_tokens_total", withType(labels, "cache_read")))
                .isEqualTo(30000.0);
        assertThat(PrometheusText.value(metrics, "ccr_tokens_total", withType(labels, "cache_creation")))
                .isEqualTo(2000.0);
        assertThat(PrometheusText.value(metrics, "ccr_cost_usd_total", labels)).isCloseTo(STREAM_COST, within(1e-9));
        assertThat(PrometheusText.value(
                        metrics,
                        "ccr_request_duration_seconds_count",
                        "operation",
                        "messages",
                        "endpoint",
                        "anthropic"))
                .isEqualTo(1.0);
        assertThat(PrometheusText.value(
                        metrics,
                        "ccr_request_duration_seconds_bucket",
                        "operation",
                        "messages",
                        "endpoint",
                        "anthropic",
                        "le",
                        "+Inf"))
                .isEqualTo(1.0);
        assertThat(PrometheusText.value(metrics, "ccr_time_to_first_byte_seconds_count", "endpoint", "anthropic"))
                .isEqualTo(1.0);
        assertThat(PrometheusText.value(metrics, "ccr_router_overhead_seconds_count"))
                .isEqualTo(1.0);
        assertThat(PrometheusText.value(metrics, "ccr_requests_in_flight")).isEqualTo(0.0);
        assertThat(PrometheusText.value(metrics, "ccr_observe_dropped_total", "sink", "usage"))
                .isEqualTo(0.0);
        assertThat(metrics).contains("jvm_memory_used_bytes", "process_uptime_seconds", "ccr_info{version=");

        UsageReport byModel = today(Grouping.MODEL);
        assertThat(byModel.total().requests()).isEqualTo(1);
        assertThat(byModel.total().cacheReadTokens()).isEqualTo(30000);
        assertThat(byModel.total().cacheCreationTokens()).isEqualTo(2000);
        assertThat(byModel.total().costUsd()).isCloseTo(STREAM_COST, within(1e-9));
        assertThat(byModel.groups()).extracting(UsageGroup::name).containsExactly(MODEL);
        assertThat(today(Grouping.SESSION).groups())
                .extracting(UsageGroup::name)
                .containsExactly(SESSION);

        JsonNode live = Json.MAPPER.readTree(
                Http.get(router.baseUrl() + "/ccr/stats", Map.of()).body());
        assertThat(live.path("total").path("requests").asLong()).isEqualTo(1);
        assertThat(live.path("total").path("costUsd").asDouble()).isCloseTo(STREAM_COST, within(1e-9));
        assertThat(live.path("bySession").get(0).path("name").asText()).isEqualTo(SESSION);
        assertThat(live.path("bySession").get(0).path("duration").path("max").asLong())
                .isEqualTo(total);
        JsonNode recent = Json.MAPPER.readTree(Http.get(router.baseUrl() + "/ccr/stats/recent?limit=5", Map.of())
                .body());
        assertThat(recent.path("requests").get(0).path("requestId").asText()).isEqualTo(requestId);
        JsonNode history = Json.MAPPER.readTree(Http.get(router.baseUrl() + "/ccr/stats/usage?by=session", Map.of())
                .body());
        assertThat(history.path("groups").get(0).path("name").asText()).isEqualTo(SESSION);
        assertThat(history.path("total").path("cacheReadTokens").asLong()).isEqualTo(30000);
    }

    private static String[] withType(String[] labels, String type) {
        String[] out = java.util.Arrays.copyOf(labels, labels.length + 2);
        out[labels.length] = "type";
        out[labels.length + 1] = type;
        return out;
    }

    @Test
    void aWholeAnswersUsageIsCountedToo() throws Exception {
        startRouter("");
        upstream.respondWith(200, "application/json", UsageFrames.message(MODEL, 7, 300, 4000, 9));

        assertThat(ask(router, MODEL, false).statusCode()).isEqualTo(200);

        JsonNode line = logLines(1).get(0);
        assertThat(line.path("stream").asBoolean()).isFalse();
        assertThat(line.path("inputTokens").asLong()).isEqualTo(7);
        assertThat(line.path("cacheCreationTokens").asLong()).isEqualTo(300);
        assertThat(line.path("cacheReadTokens").asLong()).isEqualTo(4000);
        assertThat(line.path("outputTokens").asLong()).isEqualTo(9);
        assertThat(line.path("costUsd").asDouble())
                .isCloseTo((7 * 3 + 9 * 15 + 300 * 3.75 + 4000 * 0.30) / 1e6, within(1e-9));
    }

    @Test
    void failuresAreCountedByTypeAndCostNothing() throws Exception {
        startRouter("");
        upstream.respondWith(
                529,
                "application/json",
                "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}");

        assertThat(ask(router, MODEL, true).statusCode()).isEqualTo(529);

        JsonNode line = logLines(1).get(0);
        assertThat(line.path("status").asInt()).isEqualTo(529);
        assertThat(line.path("errorType").asText()).isEqualTo("overloaded_error");
        assertThat(line.path("costUsd").asDouble()).isZero();
        String metrics = metrics();
        assertThat(PrometheusText.value(
                        metrics, "ccr_request_errors_total", "endpoint", "anthropic", "type", "overloaded_error"))
                .isEqualTo(1.0);
        UsageReport report = today(Grouping.ENDPOINT);
        assertThat(report.total().errors()).isEqualTo(1);
        assertThat(report.total().unpricedRequests()).isZero();
    }

    @Test
    void configuredPricesWinAndUnknownModelsAreCountedAsUnpriced() throws Exception {
        startRouter(
                """
                , "pricing": {"anthropic,house-model": {"input": 2, "output": 10, "cacheRead": 0.5},
                              "claude-sonnet-*": {"input": 1, "output": 1}}""");
        upstream.respond((request, response) -> response.putHeader("content-type", "text/event-stream")
                .end(UsageFrames.stream(parse(request.bodyText()).path("model").asText(), 1000, 1000, 1000, 1000)));

        ask(router, "house-model", true);
        ask(router, MODEL, true);
        ask(router, "mystery-model", true);

        List<JsonNode> lines = logLines(3);
        // house-model: input 2, output 10, cache writes default to the input price, reads 0.5.
        assertThat(lines.get(0).path("costUsd").asDouble()).isCloseTo((2 + 10 + 2 + 0.5) / 1000.0, within(1e-9));
        assertThat(lines.get(1).path("costUsd").asDouble()).isCloseTo(4 / 1000.0, within(1e-9));
        assertThat(lines.get(2).path("costUsd").isNull()).isTrue();
        assertThat(PrometheusText.value(
                        metrics(), "ccr_unpriced_requests_total", "endpoint", "anthropic", "model", "mystery-model"))
                .isEqualTo(1.0);
        UsageReport report = today(Grouping.MODEL);
        assertThat(report.total().unpricedRequests()).isEqualTo(1);
        assertThat(report.total().fullyPriced()).isFalse();
        assertThat(report.total().costUsd()).isCloseTo((14.5 + 4) / 1000.0, within(1e-9));
    }

    @Test
    void aPricingEditAppliesWithoutARestart() throws Exception {
        String config = "{\"endpoints\": [{\"name\": \"anthropic\", \"type\": \"anthropic\", \"baseUrl\": \""
                + upstream.baseUrl() + "\", \"apiKey\": \"k-12345678\"}]%s}";
        router = loopback.router(config.formatted(""), Map.of(), true);
        upstream.respond((request, response) -> response.putHeader("content-type", "text/event-stream")
                .end(UsageFrames.stream("house-model", 1_000_000, 0, 0, 0)));
        ask(router, "house-model", true);

        router.rewriteConfig(config.formatted(", \"pricing\": {\"house-model\": {\"input\": 2, \"output\": 8}}"));
        await().atMost(Duration.ofSeconds(10))
                .until(() -> !router.runtime().config().current().pricing().isEmpty());
        ask(router, "house-model", true);

        List<JsonNode> lines = logLines(2);
        assertThat(lines.get(0).path("costUsd").isNull()).as("no price yet").isTrue();
        assertThat(lines.get(1).path("costUsd").asDouble()).isEqualTo(2.0);
    }

    @Test
    void operatorEndpointsNeedARouterTokenWhenTokensAreConfigured() {
        startRouter(", \"auth\": {\"tokens\": [{\"name\": \"ci\", \"token\": \"router-token-123456\"}]}");
        for (String path : List.of("/metrics", "/ccr/stats", "/ccr/stats/recent", "/ccr/stats/usage")) {
            assertThat(Http.get(router.baseUrl() + path, Map.of()).statusCode())
                    .as(path)
                    .isEqualTo(401);
            assertThat(Http.get(router.baseUrl() + path, Map.of("x-api-key", "not-the-token-000"))
                            .statusCode())
                    .as(path)
                    .isEqualTo(401);
            assertThat(Http.get(router.baseUrl() + path, Map.of("authorization", "Bearer router-token-123456"))
                            .statusCode())
                    .as(path)
                    .isEqualTo(200);
        }
        assertThat(Http.get(
                                router.baseUrl() + "/metrics",
                                Map.of("origin", "https://evil.example", "authorization", "Bearer router-token-123456"))
                        .statusCode())
                .as("a web page cannot read the metrics either")
                .isEqualTo(403);
    }

    @Test
    void badStatsParametersAreExplained() {
        startRouter("");
        HttpResponse<String> response = Http.get(router.baseUrl() + "/ccr/stats/usage?by=color", Map.of());
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("by must be one of model, endpoint, session, client, day");
    }
}
