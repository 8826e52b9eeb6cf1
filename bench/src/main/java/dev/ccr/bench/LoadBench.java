package dev.ccr.bench;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The load harness: starts a mock upstream, ccr (as a child process through its launcher) and, unless told not to, a
 * peer router (claude-code-router 2.0.0 from npm), then measures each scenario directly against the mock and through
 * each router in the same run, interleaved round by round (the order rotates each round) so drift on a shared machine
 * hits every path alike, and reports the added milliseconds and the throughput as a share of direct. Then measures
 * the routers' resources: start to first answer, RSS after start and idle after the load, and for ccr RSS under many
 * slow streams and SIGTERM to exit.
 */
final class LoadBench {
    /** Which peer router runs next to ccr. */
    enum Peer {
        CCR2,
        NONE
    }

    /**
     * One measured situation. A translated scenario asks for the mock's OpenAI provider, so the router translates the
     * request to chat completions and the answer back; its direct baseline posts the same body to the mock's OpenAI
     * path.
     */
    record Scenario(
            String name,
            Buffer body,
            boolean stream,
            boolean translated,
            int concurrency,
            int requests,
            MockUpstream.Profile profile) {}

    /** Who answers a scenario's requests: the mock itself, or a router in front of it. */
    record Subject(String label, ChildServer router) {
        boolean direct() {
            return router == null;
        }

        String url(Scenario scenario, MockUpstream mock) {
            if (router == null) {
                return mock.baseUrl() + (scenario.translated() ? "/chat/completions" : "/messages");
            }
            return router.baseUrl() + "/v1/messages";
        }
    }

    /** What one scenario measured, one result per subject, in the order of the run's subjects (direct first). */
    record Outcome(Scenario scenario, List<LoadGenerator.Result> results) {}

    record Options(Path launcher, int requests, int rounds, long capMillis, int slowStreams, Peer peer) {}

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
                    {"endpoints": [{"name": "mock", "type": "anthropic", "baseUrl": "%s", "apiKey": "mock-key"},
                                   {"name": "openai-mock", "type": "openai", "baseUrl": "%s", "apiKey": "mock-key",
                                    "models": ["gpt-bench"]}],
                     "logLevel": "warn"}"""
                            .formatted(mock.baseUrl(), mock.baseUrl());
            mock.warmUp(load);
            try (ChildServer ccr = RouterProcess.start(options.launcher(), config)) {
                Report.Resources ccrStart = new Report.Resources(ccr.startToFirstAnswerNanos(), ccr.rssMiB());
                PeerRun peer = startPeer(mock);
                try {
                    List<Subject> subjects =
                            new ArrayList<>(List.of(new Subject("direct", null), new Subject("ccr", ccr)));
                    if (peer.peer() != null) {
                        subjects.add(new Subject(
                                ClaudeCodeRouterPeer.LABEL, peer.peer().server()));
                    }
                    Report.Resources peerStart = peer.peer() == null
                            ? null
                            : new Report.Resources(
                                    peer.peer().server().startToFirstAnswerNanos(),
                                    peer.peer().server().rssMiB());
                    List<Scenario> scenarios = scenarios();
                    warmUp(load, mock, subjects, scenarios);
                    List<Outcome> outcomes = new ArrayList<>();
                    for (Scenario scenario : scenarios) {
                        outcomes.add(measure(load, mock, subjects, scenario));
                    }
                    mock.profile(MockUpstream.Profile.FAST);
                    Thread.sleep(3_000);
                    ccrStart = ccrStart.idle(ccr.rssMiB());
                    if (peerStart != null) {
                        peerStart = peerStart.idle(peer.peer().server().rssMiB());
                    }
                    SlowStreams slow = slowStreams(load, mock, ccr);
                    mock.profile(MockUpstream.Profile.FAST);
                    Thread.sleep(1_000);
                    long exitNanos = ccr.terminate();
                    return Report.markdown(
                            subjects,
                            outcomes,
                            ccrStart,
                            peerStart,
                            peer.note(),
                            new Report.CcrOnly(options.slowStreams(), slow.peakRssMiB(), slow.failed(), exitNanos),
                            options);
                } finally {
                    if (peer.peer() != null) {
                        peer.peer().close();
                    }
                }
            }
        } finally {
            vertx.close().await();
        }
    }

    /** The peer if it runs, and one line for the report either way. */
    record PeerRun(ClaudeCodeRouterPeer peer, String note) {}

    private PeerRun startPeer(MockUpstream mock) throws InterruptedException {
        if (options.peer() == Peer.NONE) {
            return new PeerRun(null, "Peer: none (`--peer none`).");
        }
        System.err.println("installing and starting " + ClaudeCodeRouterPeer.LABEL + " from npm…");
        try {
            ClaudeCodeRouterPeer peer = ClaudeCodeRouterPeer.start(mock.baseUrl());
            return new PeerRun(
                    peer,
                    "Peer: " + ClaudeCodeRouterPeer.LABEL + " (npm `" + ClaudeCodeRouterPeer.PACKAGE + "@"
                            + ClaudeCodeRouterPeer.VERSION + "`, installed into a temporary directory for this run)"
                            + " on Node.js " + peer.nodeVersion() + ", file logging off.");
        } catch (ClaudeCodeRouterPeer.Unavailable e) {
            System.err.println(ClaudeCodeRouterPeer.LABEL + " is not measured: " + e.getMessage());
            return new PeerRun(
                    null,
                    "Peer: **" + ClaudeCodeRouterPeer.LABEL + " was not measured**: "
                            + abbreviate(e.getMessage().replace('\n', ' ')) + ".");
        }
    }

    private static String abbreviate(String text) {
        return text.length() <= 400 ? text : text.substring(0, 400) + "…";
    }

    private List<Scenario> scenarios() {
        int n = options.requests();
        MockUpstream.Profile fast = MockUpstream.Profile.FAST;
        Buffer small = Bodies.small("claude-sonnet-4-5", false);
        Buffer smallStream = Bodies.small("claude-sonnet-4-5", true);
        Buffer bigStream = Bodies.realistic("claude-sonnet-4-5", true);
        Buffer bigStreamTranslated = Bodies.realistic(ClaudeCodeRouterPeer.OPENAI_MODEL, true);
        String big = String.format(Locale.ROOT, "~%.0f KB Claude Code body", bigStream.length() / 1000.0);
        return List.of(
                new Scenario("non-stream, small body, c=1", small, false, false, 1, n, fast),
                new Scenario("stream (20 events), small body, c=1", smallStream, true, false, 1, n, fast),
                new Scenario("non-stream, small body, c=8", small, false, false, 8, n * 2, fast),
                new Scenario("stream (20 events), small body, c=8", smallStream, true, false, 8, n * 2, fast),
                new Scenario("stream, " + big + ", c=4, passed through", bigStream, true, false, 4, n / 2, fast),
                new Scenario(
                        "stream, " + big + ", c=4, translated to OpenAI",
                        bigStreamTranslated,
                        true,
                        true,
                        4,
                        n / 2,
                        fast));
    }

    private void warmUp(LoadGenerator load, MockUpstream mock, List<Subject> subjects, List<Scenario> scenarios) {
        for (Scenario scenario : scenarios) {
            mock.profile(scenario.profile());
            for (Subject subject : subjects) {
                int requests = subject.direct() ? 300 : 1_500;
                load.run(subject.url(scenario, mock), scenario.body(), requests, 4, options.capMillis());
            }
        }
    }

    private Outcome measure(LoadGenerator load, MockUpstream mock, List<Subject> subjects, Scenario scenario) {
        System.err.println("measuring " + scenario.name());
        mock.profile(scenario.profile());
        int perRound = Math.max(1, scenario.requests() / options.rounds());
        List<Accumulated> sums = subjects.stream().map(s -> new Accumulated()).toList();
        for (int round = 0; round < options.rounds(); round++) {
            // Rotate which goes first, so none always runs on a warmer or quieter machine.
            for (int k = 0; k < subjects.size(); k++) {
                int i = (round + k) % subjects.size();
                sums.get(i)
                        .add(load.run(
                                subjects.get(i).url(scenario, mock),
                                scenario.body(),
                                perRound,
                                scenario.concurrency(),
                                options.capMillis()));
            }
        }
        return new Outcome(scenario, sums.stream().map(Accumulated::result).toList());
    }

    record SlowStreams(double peakRssMiB, int failed) {}

    /** Holds many streams open through ccr at once (each about 10 s long) and watches its memory. */
    private SlowStreams slowStreams(LoadGenerator load, MockUpstream mock, ChildServer router) throws Exception {
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
}
