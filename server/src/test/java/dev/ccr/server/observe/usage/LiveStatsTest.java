package dev.ccr.server.observe.usage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ccr.server.observe.PricedRequest;
import dev.ccr.server.observe.RequestRecord;
import java.util.List;
import org.junit.jupiter.api.Test;

class LiveStatsTest {
    private static PricedRequest request(String id, String session, long durationMillis, int status) {
        return new PricedRequest(
                new RequestRecord(
                        id,
                        System.currentTimeMillis(),
                        session,
                        "local",
                        "messages",
                        "m",
                        "default",
                        "e",
                        "m",
                        status,
                        status >= 400 ? "api_error" : null,
                        true,
                        durationMillis / 4,
                        durationMillis,
                        durationMillis,
                        200,
                        10,
                        5,
                        100,
                        0,
                        1,
                        null,
                        false,
                        null),
                0.001);
    }

    @Test
    void percentilesAreWithinFivePercentAndMaxIsExact() {
        LiveStats stats = new LiveStats(0);
        for (int i = 1; i <= 1000; i++) {
            stats.add(request("r" + i, "s", i * 10L, 200));
        }
        LatencySummary duration = stats.summary().total().duration();
        assertThat(duration.max()).isEqualTo(10_000);
        assertThat(duration.p50()).isBetween(5000L, 5250L);
        assertThat(duration.p90()).isBetween(9000L, 9450L);
        assertThat(duration.p99()).isBetween(9900L, 10_000L);
        assertThat(stats.summary().total().usage().costUsd())
                .isCloseTo(1.0, org.assertj.core.api.Assertions.within(1e-9));
    }

    @Test
    void groupsCountRequestsErrorsAndTokens() {
        LiveStats stats = new LiveStats(0);
        stats.add(request("a", "s1", 100, 200));
        stats.add(request("b", "s1", 100, 529));
        stats.add(request("c", null, 100, 200));
        LiveSummary summary = stats.summary();
        assertThat(summary.total().usage().requests()).isEqualTo(3);
        assertThat(summary.total().usage().errors()).isEqualTo(1);
        assertThat(summary.total().usage().cacheReadTokens()).isEqualTo(300);
        assertThat(summary.bySession()).extracting(UsageGroup::name).containsExactlyInAnyOrder("s1", UsageGroup.NONE);
        assertThat(summary.byEndpoint()).singleElement().satisfies(g -> assertThat(g.name())
                .isEqualTo("e"));
    }

    @Test
    void onlyTheLatestSessionsAreKeptAndRecentIsNewestFirst() {
        LiveStats stats = new LiveStats(0);
        for (int i = 0; i < LiveStats.MAX_SESSIONS + 20; i++) {
            stats.add(request("r" + i, "session-" + i, 10, 200));
        }
        assertThat(stats.summary().bySession()).hasSize(LiveStats.MAX_SESSIONS);
        assertThat(stats.summary().total().usage().requests()).isEqualTo(LiveStats.MAX_SESSIONS + 20);
        List<PricedRequest> recent = stats.recent(3);
        assertThat(recent).extracting(p -> p.record().requestId()).containsExactly("r119", "r118", "r117");
        assertThat(stats.recent(10_000)).hasSize(LiveStats.MAX_SESSIONS + 20);
    }
}
