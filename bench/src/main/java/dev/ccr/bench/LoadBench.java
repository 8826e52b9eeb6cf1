package dev.ccr.bench;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The load harness: starts a mock upstream and the router (as a child process through its launcher), then measures
 * each scenario directly against the mock and through the router in the same run, interleaved round by round so drift
 * on a shared machine hits both alike, and reports the ratio and the added milliseconds. Then measures the router's
 * resources: idle RSS, RSS under many slow streams, start-up and shutdown times.
 */
final class LoadBench {
    /** One measured situation. */
    record Scenario(
            String name, Buffer body, boolean stream, int concurrency, int requests, MockUpstream.Profile profile) {}

    /** What one scenario measured on both paths. */
    record Outcome(Scenario scenario, LoadGenerator.Result direct, LoadGenerator.Result routed) {}

    record Options(Path launcher, int requests, int rounds, long capMillis, int slowStreams) {}

    private final Options options;

    LoadBench(Options options) {
        this.options = options;
    }

    String run() throws Exception {
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
        try (MockUpstream mock = new MockUpstream(vertx);
                LoadGenerator load = new LoadGenerator(vertx, Math.max(16, options.slowStreams()))) {
            String config =
                    """
                    {"endpoints": [{"name": "mock", "type": "anthropic", "baseUrl": "%s", "apiKey": "mock-key"}],
                     "logLevel": "warn"}"""
                            .formatted(mock.baseUrl());
            mock.warmUp(load);
            try (RouterProcess router = RouterProcess.start(options.launcher(), config)) {
                double rssAfterStart = router.rssMiB();
                List<Scenario> scenarios = scenarios();
                warmUp(load, mock, router, scenarios);
                List<Outcome> outcomes = new ArrayList<>();
                for (Scenario scenario : scenarios) {
                    outcomes.add(measure(load, mock, router, scenario));
                }
                mock.profile(MockUpstream.Profile.FAST);
                Thread.sleep(3_000);
                double idleRss = router.rssMiB();
                SlowStreams slow = slowStreams(load, mock, router);
                mock.profile(MockUpstream.Profile.FAST);
                Thread.sleep(1_000);
                long exitNanos = router.terminate();
                return Report.markdown(
                        outcomes,
                        new Report.Resources(
                                router.startToFirstAnswerNanos(),
                                rssAfterStart,
                                idleRss,
                                options.slowStreams(),
                                slow.peakRssMiB(),
                                slow.failed(),
                                exitNanos),
                        options);
            }
        } finally {
            vertx.close().await();
        }
    }

    private List<Scenario> scenarios() {
        int n = options.requests();
        MockUpstream.Profile fast = MockUpstream.Profile.FAST;
        Buffer small = Bodies.small("claude-sonnet-4-5", false);
        Buffer smallStream = Bodies.small("claude-sonnet-4-5", true);
        Buffer big = Bodies.realistic("claude-sonnet-4-5", false);
        Buffer bigStream = Bodies.realistic("claude-sonnet-4-5", true);
        return List.of(
                new Scenario("non-stream, small body, c=1", small, false, 1, n, fast),
                new Scenario("stream (20 events), small body, c=1", smallStream, true, 1, n, fast),
                new Scenario("non-stream, small body, c=8", small, false, 8, n * 2, fast),
                new Scenario("stream (20 events), small body, c=8", smallStream, true, 8, n * 2, fast),
                new Scenario("non-stream, ~100 KB Claude Code body, c=1", big, false, 1, n / 2, fast),
                new Scenario("stream, ~100 KB Claude Code body, c=1", bigStream, true, 1, n / 2, fast));
    }

    private void warmUp(LoadGenerator load, MockUpstream mock, RouterProcess router, List<Scenario> scenarios) {
        for (Scenario scenario : scenarios) {
            mock.profile(scenario.profile());
            load.run(router.baseUrl() + "/v1/messages", scenario.body(), 1_500, 4, options.capMillis());
            load.run(mock.baseUrl() + "/messages", scenario.body(), 300, 4, options.capMillis());
        }
    }

    private Outcome measure(LoadGenerator load, MockUpstream mock, RouterProcess router, Scenario scenario) {
        mock.profile(scenario.profile());
        String direct = mock.baseUrl() + "/messages";
        String routed = router.baseUrl() + "/v1/messages";
        int perRound = Math.max(1, scenario.requests() / options.rounds());
        Accumulated viaMock = new Accumulated();
        Accumulated viaRouter = new Accumulated();
        for (int round = 0; round < options.rounds(); round++) {
            // Alternate which goes first, so neither always runs on a warmer or quieter machine.
            if (round % 2 == 0) {
                viaMock.add(load.run(direct, scenario.body(), perRound, scenario.concurrency(), options.capMillis()));
                viaRouter.add(load.run(routed, scenario.body(), perRound, scenario.concurrency(), options.capMillis()));
            } else {
                viaRouter.add(load.run(routed, scenario.body(), perRound, scenario.concurrency(), options.capMillis()));
                viaMock.add(load.run(direct, scenario.body(), perRound, scenario.concurrency(), options.capMillis()));
            }
        }
        return new Outcome(scenario, viaMock.result(), viaRouter.result());
    }

    record SlowStreams(double peakRssMiB, int failed) {}

    /** Holds many streams open through the router at once (each about 10 s long) and watches its memory. */
    private SlowStreams slowStreams(LoadGenerator load, MockUpstream mock, RouterProcess router) throws Exception {
        mock.profile(new MockUpstream.Profile(0, 10, 1_000));
        var done = load.holdStreams(
                router.baseUrl() + "/v1/messages", Bodies.small("claude-sonnet-4-5", true), options.slowStreams());
        double peak = router.rssMiB();
        while (!done.isComplete()) {
            peak = Math.max(peak, router.rssMiB());
            Thread.sleep(250);
        }
        return new SlowStreams(peak, done.result());
    }

    /** Sums the rounds of one path. */
    private static final class Accumulated {
        private final Samples latency = new Samples();
        private final Samples firstByte = new Samples();
        private int errors;
        private long wallNanos;

        void add(LoadGenerator.Result result) {
            latency.addAll(result.latency());
            firstByte.addAll(result.firstByte());
            errors += result.errors();
            wallNanos += result.wallNanos();
        }

        LoadGenerator.Result result() {
            return new LoadGenerator.Result(latency, firstByte, errors, wallNanos);
        }
    }

    static String format(double value) {
        return String.format(Locale.ROOT, "%.3f", value);
    }
}
