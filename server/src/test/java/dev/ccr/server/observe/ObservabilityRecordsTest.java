package dev.ccr.server.observe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.ccr.server.config.ConfigLoader;
import dev.ccr.server.config.EffectiveConfig;
import dev.ccr.server.config.Overrides;
import dev.ccr.server.observe.usage.Grouping;
import dev.ccr.server.observe.usage.UsageReport;
import dev.ccr.server.testing.PrometheusText;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Usage is counted from request records alone, whatever wire format the upstream spoke: a translated OpenAI-format
 * answer arrives as the same record (input excluding cache reads) and is priced and stored the same way.
 */
class ObservabilityRecordsTest {
    @TempDir
    Path home;

    private static EffectiveConfig config() throws Exception {
        String text =
                """
                {"endpoints": [{"name": "deepseek", "type": "openai", "baseUrl": "https://api.deepseek.com/v1"}]}""";
        return new ConfigLoader(Map.<String, String>of()::get)
                .parse(text.getBytes(StandardCharsets.UTF_8), Path.of("config.json"), Overrides.NONE)
                .config();
    }

    private static RequestRecord record(String id, String operation, long input, long output, long cacheRead) {
        return new RequestRecord(
                id,
                System.currentTimeMillis(),
                "s-1",
                "local",
                operation,
                "deepseek,deepseek-chat",
                "explicit",
                "deepseek",
                "deepseek-chat",
                200,
                null,
                true,
                300,
                1200,
                1199,
                150,
                input,
                output,
                cacheRead,
                0,
                1,
                null,
                false,
                null);
    }

    @Test
    void aTranslatedAnswerIsPricedAndStoredAndCountingTokensCostsNothing() throws Exception {
        try (Observability observability = new Observability(config(), home, Clock.systemDefaultZone())) {
            observability.open(3000);
            observability.started();
            observability.completed(record("req_1", RequestRecord.MESSAGES, 1000, 500, 9000));
            observability.started();
            observability.completed(record("req_2", RequestRecord.COUNT_TOKENS, 5000, 0, 0));
            assertThat(observability.flush(Duration.ofSeconds(10))).isTrue();

            // DeepSeek V3.2: $0.28 per million input (cache miss), $0.028 cache hit, $0.42 output.
            double cost = (1000 * 0.28 + 9000 * 0.028 + 500 * 0.42) / 1e6;
            assertThat(observability.recent(2))
                    .extracting(PricedRequest::costUsd)
                    .containsExactly(0.0, cost);
            LocalDate today = LocalDate.now();
            UsageReport report =
                    observability.usage(today, today, Grouping.MODEL, null).orElseThrow();
            assertThat(report.total().requests()).isEqualTo(2);
            assertThat(report.total().inputTokens())
                    .as("counted tokens are not spent tokens")
                    .isEqualTo(1000);
            assertThat(report.total().cacheReadTokens()).isEqualTo(9000);
            assertThat(report.total().costUsd()).isCloseTo(cost, within(1e-12));

            String metrics = observability.metrics().scrape();
            assertThat(PrometheusText.value(
                            metrics,
                            "ccr_tokens_total",
                            "endpoint",
                            "deepseek",
                            "model",
                            "deepseek-chat",
                            "type",
                            "input"))
                    .isEqualTo(1000.0);
            assertThat(PrometheusText.value(
                            metrics,
                            "ccr_requests_total",
                            "endpoint",
                            "deepseek",
                            "model",
                            "deepseek-chat",
                            "operation",
                            "count_tokens",
                            "status",
                            "200"))
                    .isEqualTo(1.0);
            assertThat(PrometheusText.value(metrics, "ccr_requests_in_flight")).isEqualTo(0.0);
        }
    }

    @Test
    void gaugesForTheResilienceLayerReportWhatTheyAreGiven() throws Exception {
        try (Observability observability = new Observability(config(), null, Clock.systemDefaultZone())) {
            var metrics = observability.metrics();
            var state = new java.util.concurrent.atomic.AtomicReference<>(
                    dev.ccr.server.observe.metrics.BreakerState.CLOSED);
            AutoCloseable circuit = metrics.trackCircuit("deepseek", state::get);
            AutoCloseable inFlight = metrics.trackEndpointInFlight("deepseek", () -> 3);
            state.set(dev.ccr.server.observe.metrics.BreakerState.OPEN);
            String text = metrics.scrape();
            assertThat(PrometheusText.value(
                            text, "ccr_endpoint_circuit_state", "endpoint", "deepseek", "state", "open"))
                    .isEqualTo(1.0);
            assertThat(PrometheusText.value(
                            text, "ccr_endpoint_circuit_state", "endpoint", "deepseek", "state", "closed"))
                    .isEqualTo(0.0);
            assertThat(PrometheusText.value(text, "ccr_endpoint_in_flight", "endpoint", "deepseek"))
                    .isEqualTo(3.0);
            circuit.close();
            inFlight.close();
            assertThat(metrics.scrape()).doesNotContain("ccr_endpoint_circuit_state{", "ccr_endpoint_in_flight{");
        }
    }
}
