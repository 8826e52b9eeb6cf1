package dev.ccr.server.observe;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class UsageStatsTest {
    private long clock;

    /** A finished request that started after the previous one. */
    private RequestRecord record(
            String session, String endpoint, String model, int status, long ttfb, long duration, boolean cacheHit) {
        return new RequestRecord(
                "req_" + duration,
                ++clock,
                session,
                "local",
                "messages",
                "claude-sonnet-4-5",
                endpoint == null ? null : "default",
                endpoint,
                model,
                status,
                status >= 400 ? "api_error" : null,
                true,
                ttfb,
                duration,
                10,
                5,
                100,
                7,
                1,
                cacheHit);
    }

    @Test
    void countsPerEndpointModelAndSession() {
        UsageTracker stats = new UsageTracker(42);
        stats.completed(record("s1", "glm", "glm-4.6", 200, 100, 1000, false));
        stats.completed(record("s1", "glm", "glm-4.6", 529, -1, 300, false));
        stats.completed(record(null, "anthropic", null, 200, 50, 500, true));
        stats.completed(record("s2", null, null, 401, -1, 2, false));

        UsageTracker.Summary summary = stats.summary();

        assertThat(summary.since()).isEqualTo(42);
        assertThat(summary.total().requests()).isEqualTo(4);
        assertThat(summary.total().errors()).isEqualTo(2);
        assertThat(summary.total().inputTokens()).isEqualTo(40);
        assertThat(summary.total().cacheReadTokens()).isEqualTo(400);
        assertThat(summary.total().cacheHits()).isEqualTo(1);
        assertThat(summary.total().timeToFirstByte().max()).isEqualTo(100);
        assertThat(summary.byEndpoint())
                .extracting(UsageTracker.Group::name, g -> g.usage().requests())
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("glm", 2L),
                        org.assertj.core.groups.Tuple.tuple("(none)", 1L),
                        org.assertj.core.groups.Tuple.tuple("anthropic", 1L));
        assertThat(summary.byModel())
                .extracting(UsageTracker.Group::name)
                .containsExactly("claude-sonnet-4-5", "glm-4.6"); // requested model when never routed
        assertThat(summary.bySession()).extracting(UsageTracker.Group::name).containsExactly("s2", "(none)", "s1");
        assertThat(stats.recent(2)).extracting(RequestRecord::durationMillis).containsExactly(2L, 500L);
    }

    @Test
    void percentilesAreWithinFivePercentAndMaxIsExact() {
        LatencyHistogram histogram = new LatencyHistogram();
        long[] values = new Random(3).longs(10_000, 1, 120_000).toArray();
        LongStream.of(values).forEach(histogram::record);
        long[] sorted = LongStream.of(values).sorted().toArray();
        for (double p : new double[] {0.5, 0.9, 0.99}) {
            long exact = sorted[(int) Math.ceil(p * sorted.length) - 1];
            assertThat((double) histogram.percentile(p))
                    .isCloseTo(exact, org.assertj.core.data.Percentage.withPercentage(5));
        }
        assertThat(histogram.max()).isEqualTo(sorted[sorted.length - 1]);
        LatencyHistogram small = new LatencyHistogram();
        LongStream.of(3, 3, 7).forEach(small::record);
        assertThat(small.percentile(0.5)).isEqualTo(3);
        assertThat(small.percentile(0.99)).isEqualTo(7);
    }

    @Test
    void onlyTheLatestSessionsAndRequestsAreKept() {
        UsageTracker stats = new UsageTracker(0);
        for (int i = 0; i < UsageTracker.SESSIONS + 50; i++) {
            stats.completed(record("s" + i, "glm", "m", 200, 1, i, false));
        }
        for (int i = 0; i < UsageTracker.RECENT; i++) {
            stats.completed(record("s-last", "glm", "m", 200, 1, 10_000 + i, false));
        }
        assertThat(stats.summary().bySession()).hasSize(UsageTracker.SESSIONS);
        assertThat(stats.summary().bySession().get(0).name()).isEqualTo("s-last");
        assertThat(stats.summary().total().requests()).isEqualTo(UsageTracker.SESSIONS + 50 + UsageTracker.RECENT);
        assertThat(stats.recent(1000)).hasSize(UsageTracker.RECENT);
    }
}
