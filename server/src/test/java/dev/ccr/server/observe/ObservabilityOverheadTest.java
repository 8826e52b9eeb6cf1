package dev.ccr.server.observe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ccr.server.config.ConfigLoader;
import dev.ccr.server.config.Overrides;
import dev.ccr.server.testing.FakeUpstream;
import dev.ccr.server.testing.RouterFixture;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What watching requests costs the request path. The listener runs on the event loop for every request: pricing,
 * meters, live stats, and queueing for the log and database threads. Numbers go to the test's output file
 * (target/surefire-reports/…ObservabilityOverheadTest-output.txt); the bounds are loose enough for a busy 2-core CI
 * machine and still far below anything a user could notice.
 */
class ObservabilityOverheadTest {
    @TempDir
    Path home;

    @Test
    void theListenerCostsMicrosecondsPerRequest() throws Exception {
        var config = new ConfigLoader(Map.<String, String>of()::get)
                .parse(
                        "{\"endpoints\": [{\"name\": \"e\", \"type\": \"anthropic\", \"baseUrl\": \"http://x/v1\"}]}"
                                .getBytes(StandardCharsets.UTF_8),
                        Path.of("config.json"),
                        Overrides.NONE)
                .config();
        try (Observability observability = new Observability(config, home, Clock.systemDefaultZone())) {
            observability.open(3000);
            RequestRecord[] records = new RequestRecord[64];
            for (int i = 0; i < records.length; i++) {
                records[i] = Records.record(
                        "req_" + i, "e", i % 2 == 0 ? "claude-sonnet-4-5" : "claude-haiku-4-5", 200, 900, 100, 50);
            }
            int rounds = 5;
            int perRound = 4_000; // below the writers' queue capacity: nothing is dropped, everything is written
            long[] nanosPerCall = new long[rounds];
            for (int round = 0; round < rounds; round++) {
                long start = System.nanoTime();
                for (int i = 0; i < perRound; i++) {
                    observability.started();
                    observability.completed(records[i % records.length]);
                }
                nanosPerCall[round] = (System.nanoTime() - start) / perRound;
                assertThat(observability.flush(Duration.ofSeconds(30))).isTrue();
            }
            long best = Arrays.stream(nanosPerCall).min().orElseThrow();
            System.out.println("observability listener, ns per request, per round (first includes warm-up): "
                    + Arrays.toString(nanosPerCall));
            assertThat(best).as("ns per request").isLessThan(50_000);
        }
    }

    @Test
    void theRoutersOwnShareOfARequestIsReported() {
        try (FakeUpstream upstream = FakeUpstream.start();
                RouterFixture router =
                        RouterFixture.start(RouterFixture.anthropicConfig(upstream.baseUrl(), "k-12345678"))) {
            upstream.respond((request, response) -> response.putHeader("content-type", "text/event-stream")
                    .end(UsageFrames.stream("claude-sonnet-4-5", 100, 0, 5000, 20)));
            int requests = 300;
            for (int i = 0; i < requests; i++) {
                ObservabilityTest.ask(router, "claude-sonnet-4-5", true);
            }
            ObservabilityTest.awaitRecorded(router, requests);
            List<Long> overhead = router.runtime().stats().recent(requests).stream()
                    .map(p -> p.record().overheadMicros())
                    .sorted()
                    .toList();
            long p50 = overhead.get(requests / 2);
            long p99 = overhead.get(requests * 99 / 100);
            System.out.println("router overhead per streamed request (parse, route, relay, record), µs: p50 " + p50
                    + ", p99 " + p99 + ", max " + overhead.get(requests - 1));
            assertThat(p50).as("median overhead in µs").isLessThan(20_000);
        }
    }
}
