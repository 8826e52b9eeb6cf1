package dev.ccr.server.observe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.ccr.server.observe.usage.Grouping;
import dev.ccr.server.observe.usage.UsageGroup;
import dev.ccr.server.observe.usage.UsageReport;
import dev.ccr.server.testing.FakeUpstream;
import dev.ccr.server.testing.RouterFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Usage history lives on disk: a restarted router (or another one) sees what earlier runs recorded. */
class UsageHistoryTest {
    private static final double ONE_REQUEST = (10 * 3 + 20 * 15 + 100 * 3.75 + 1000 * 0.30) / 1e6;

    @TempDir
    Path directory;

    @Test
    void usageSurvivesARestart() throws Exception {
        try (FakeUpstream upstream = FakeUpstream.start()) {
            upstream.respond((request, response) -> response.putHeader("content-type", "text/event-stream")
                    .end(UsageFrames.stream("claude-sonnet-4-5", 10, 100, 1000, 20)));
            String config = RouterFixture.anthropicConfig(upstream.baseUrl(), "k-12345678");

            try (RouterFixture first = RouterFixture.start(config, Map.of(), false, directory)) {
                ObservabilityTest.ask(first, "claude-sonnet-4-5", true);
                ObservabilityTest.ask(first, "claude-sonnet-4-5", true);
                ObservabilityTest.awaitRecorded(first, 2);
            }
            assertThat(Files.size(directory.resolve("home").resolve("usage.db")))
                    .isPositive();

            try (RouterFixture second = RouterFixture.start(config, Map.of(), false, directory)) {
                assertThat(second.runtime().stats().live().total().usage().requests())
                        .as("live stats start afresh")
                        .isZero();
                ObservabilityTest.ask(second, "claude-sonnet-4-5", true);
                ObservabilityTest.awaitRecorded(second, 1);

                LocalDate today = LocalDate.now();
                UsageReport history = second.runtime()
                        .stats()
                        .usage(today, today, Grouping.SESSION, null)
                        .orElseThrow();
                assertThat(history.total().requests()).isEqualTo(3);
                assertThat(history.total().costUsd()).isCloseTo(3 * ONE_REQUEST, within(1e-9));
                assertThat(history.groups()).singleElement().satisfies(session -> {
                    assertThat(session.name()).isEqualTo(ObservabilityTest.SESSION);
                    assertThat(session.usage().cacheReadTokens()).isEqualTo(3000);
                });
                UsageReport byDay = second.runtime()
                        .stats()
                        .usage(today.minusDays(6), today, Grouping.DAY, ObservabilityTest.SESSION.substring(0, 8))
                        .orElseThrow();
                assertThat(byDay.groups()).extracting(UsageGroup::name).containsExactly(today.toString());
            }
        }
    }

    @Test
    void aCostEstimatedFromTheFamilyIsMarkedInTheLogLiveStatsAndHistory() throws Exception {
        try (FakeUpstream upstream = FakeUpstream.start()) {
            upstream.respond((request, response) -> response.putHeader("content-type", "text/event-stream")
                    .end(UsageFrames.stream("claude-opus-6", 1000, 0, 0, 100)));
            String config = RouterFixture.anthropicConfig(upstream.baseUrl(), "k-12345678");
            try (RouterFixture router = RouterFixture.start(config, Map.of(), false, directory)) {
                ObservabilityTest.ask(router, "claude-opus-6", true);
                ObservabilityTest.ask(router, "claude-opus-5-5", true);
                ObservabilityTest.awaitRecorded(router, 2);

                Path log = directory.resolve("home/logs/requests-" + router.port() + ".jsonl");
                java.util.List<String> lines = Files.readAllLines(log);
                assertThat(lines.get(0))
                        .contains("\"upstreamModel\":\"claude-opus-6\"")
                        .contains("\"costEstimated\":true");
                assertThat(lines.get(1))
                        .contains("\"upstreamModel\":\"claude-opus-5-5\"")
                        .doesNotContain("costEstimated");
                assertThat(router.runtime().stats().live().total().usage().estimatedRequests())
                        .isEqualTo(1);
                LocalDate today = LocalDate.now();
                UsageReport history = router.runtime()
                        .stats()
                        .usage(today, today, Grouping.MODEL, null)
                        .orElseThrow();
                assertThat(history.total().estimatedRequests()).isEqualTo(1);
                assertThat(history.total().unpricedRequests()).isZero();
                // Opus at its family's newest price: 1000 x $4 + 100 x $20 per million.
                assertThat(history.groups().stream()
                                .filter(g -> g.name().equals("claude-opus-6"))
                                .findFirst()
                                .orElseThrow()
                                .usage()
                                .costUsd())
                        .isCloseTo((1000 * 4 + 100 * 20) / 1e6, within(1e-9));
            }
        }
    }
}
