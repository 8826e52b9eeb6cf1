package dev.ccr.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ccr.server.json.Json;
import dev.ccr.server.testing.ClaudeCli;
import dev.ccr.server.testing.FakeKeys;
import dev.ccr.server.testing.FakeUpstream;
import dev.ccr.server.testing.FaultTimeline;
import dev.ccr.server.testing.FaultTimeline.Step;
import dev.ccr.server.testing.Node;
import dev.ccr.server.testing.RouterFixture;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The rule of docs/RESILIENCE.md, measured: the same scripted fault timeline, played by a fake Anthropic upstream on
 * loopback, is met by real clients — the Claude Code CLI (the pinned and the latest version, with one retry and with
 * its default ten) and the official SDK at its defaults — once talking to the upstream directly and once through ccr.
 *
 * <ul>
 *   <li>One target (the seed's config, no resilience settings): the client gets the same outcome as directly (success
 *       or failure, status, error type, what the CLI prints), no later than a second after, with no more upstream
 *       calls.
 *   <li>Two targets in failover order, the first one faulty: strictly better — the second target answers.
 * </ul>
 *
 * <p>Time is counted from the client's first call reaching an upstream to its end, so the CLI's own start-up (seconds,
 * and noisy on a busy machine) does not blur the comparison; where no call can arrive (a refused connection), the whole
 * run counts. The table of every run is written to {@code target/never-worse-than-direct.md} (docs/RESILIENCE.md shows
 * one).
 */
class NeverWorseThanDirectIT {
    /** How much later than direct an answer through the router may come. */
    private static final long SLACK_MILLIS = 1_000;

    private static final Vertx VERTX = Vertx.vertx();
    private static final List<String> TABLE = Collections.synchronizedList(new ArrayList<>());

    /** A client that retries by itself, as users run it. */
    interface Client {
        String name();

        /**
         * @param faulty the upstream whose calls are counted, or {@code null} when it refuses connections
         * @param upstreams every upstream of the run, for when the first call arrived
         */
        Outcome run(String baseUrl, FaultTimeline faulty, List<FaultTimeline> upstreams) throws Exception;
    }

    /**
     * What a client ended with.
     *
     * @param status the HTTP status of the failure, or {@code null} (success, or no answer at all)
     * @param said what the CLI printed (ports masked), or the SDK's error class
     * @param millis from the first upstream call to the end; when no call came (a refused connection), the time the
     *     client itself reports (the SDK's whole call, the CLI's {@code duration_ms})
     * @param calls calls that reached the faulty upstream
     */
    record Outcome(boolean ok, Integer status, String type, String said, long millis, int calls) {
        String cell() {
            String error = status != null ? status.toString() : type != null ? type : "without an answer";
            return (ok ? "ok" : "error " + error) + ", " + millis + " ms, " + calls + (calls == 1 ? " call" : " calls");
        }
    }

    record Cli(ClaudeCli.Version version, boolean defaultRetries) implements Client {
        @Override
        public String name() {
            return "claude " + version.number() + (defaultRetries ? " (default retries)" : " (MAX_RETRIES=1)");
        }

        @Override
        public Outcome run(String baseUrl, FaultTimeline faulty, List<FaultTimeline> upstreams) throws Exception {
            return run(baseUrl, faulty, upstreams, Map.of());
        }

        Outcome run(
                String baseUrl,
                FaultTimeline faulty,
                List<FaultTimeline> upstreams,
                Map<String, String> extraEnvironment)
                throws Exception {
            Path home = Files.createTempDirectory("ccr-home");
            Path project = Files.createTempDirectory("ccr-project");
            Map<String, String> environment =
                    new HashMap<>(ClaudeCli.environment(home, baseUrl, FakeKeys.anthropic("timeline")));
            if (defaultRetries) {
                environment.remove("CLAUDE_CODE_MAX_RETRIES");
            }
            environment.putAll(extraEnvironment);
            ClaudeCli.Run run = version.print(project, environment, "say hi");
            long ended = System.currentTimeMillis();
            JsonNode json = run.json();
            boolean ok = !json.path("is_error").asBoolean(true);
            JsonNode status = json.path("api_error_status");
            long firstCall = firstCall(upstreams);
            return new Outcome(
                    ok,
                    status.isInt() ? status.asInt() : null,
                    json.path("api_error_type").asText(json.path("api_error").asText(null)),
                    json.path("result").asText().replaceAll("127\\.0\\.0\\.1:\\d+", "HOST"),
                    firstCall < 0 ? json.path("duration_ms").asLong() : ended - firstCall,
                    faulty == null ? 0 : faulty.calls());
        }
    }

    record Sdk(long timeoutMillis) implements Client {
        @Override
        public String name() {
            return "@anthropic-ai/sdk (default retries)";
        }

        @Override
        public Outcome run(String baseUrl, FaultTimeline faulty, List<FaultTimeline> upstreams) throws Exception {
            Node.Result result =
                    Node.run(List.of("node", "timeline-sdk.mjs", baseUrl, Long.toString(timeoutMillis)), Map.of(), 120);
            JsonNode json = Json.MAPPER.readTree(result.stdout());
            JsonNode status = json.path("status");
            return new Outcome(
                    json.path("ok").asBoolean(),
                    status.isInt() ? status.asInt() : null,
                    json.path("type").asText(null),
                    json.path("ok").asBoolean()
                            ? json.path("text").asText()
                            : json.path("errorClass").asText(),
                    json.path("ms").asLong(),
                    faulty == null ? 0 : faulty.calls());
        }
    }

    /** When the first call of this run reached any of the upstreams, or -1 when none did. */
    private static long firstCall(List<FaultTimeline> upstreams) {
        return upstreams.stream()
                .mapToLong(FaultTimeline::firstCallAt)
                .filter(at -> at >= 0)
                .min()
                .orElse(-1);
    }

    /**
     * A fault timeline.
     *
     * @param recovers whether it ends healthy soon enough for clients with ten retries
     * @param refused the upstream refuses connections (nothing listens); {@code steps} are then unused
     * @param midStream the fault comes after the answer began: no router can take that answer back, so the
     *     second target can only serve the client's own retry
     */
    record Timeline(String name, List<Step> steps, boolean recovers, boolean refused, boolean midStream) {
        static Timeline of(String name, boolean recovers, Step... steps) {
            return new Timeline(name, List.of(steps), recovers, false, false);
        }

        static Timeline midStream(String name, Step... steps) {
            return new Timeline(name, List.of(steps), true, false, true);
        }
    }

    static final List<Timeline> TIMELINES = List.of(
            Timeline.of(
                    "429 with retry-after: 1, twice, then healthy",
                    true,
                    new FaultTimeline.Status(429, "rate_limit_error", "1"),
                    new FaultTimeline.Status(429, "rate_limit_error", "1"),
                    FaultTimeline.OK),
            Timeline.of(
                    "a burst of three 529s, then healthy",
                    true,
                    FaultTimeline.status(529, "overloaded_error"),
                    FaultTimeline.status(529, "overloaded_error"),
                    FaultTimeline.status(529, "overloaded_error"),
                    FaultTimeline.OK),
            Timeline.of("500 on every call", false, FaultTimeline.status(500, "api_error")),
            new Timeline("connection refused", List.of(), false, true, false),
            Timeline.of("a 3 s stall before the first byte", true, new FaultTimeline.Healthy(3_000)),
            Timeline.midStream("the stream cut mid-way, then healthy", new FaultTimeline.Cut(), FaultTimeline.OK),
            Timeline.midStream(
                    "event: error mid-stream, then healthy",
                    new FaultTimeline.ErrorEvent("overloaded_error"),
                    FaultTimeline.OK));

    static final List<Client> CLIENTS = List.of(
            new Cli(ClaudeCli.Version.V2_1_197, false),
            new Cli(ClaudeCli.Version.LATEST, false),
            new Cli(ClaudeCli.Version.LATEST, true),
            new Sdk(20_000));

    @TestFactory
    Stream<DynamicTest> theSameTimelineDirectAndThroughTheRouter() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Timeline timeline : TIMELINES) {
            for (Client client : CLIENTS) {
                if (client instanceof Cli cli && cli.defaultRetries() && !timeline.recovers()) {
                    continue; // ten retries of a lasting fault: a minute of backoff that proves nothing more
                }
                tests.add(DynamicTest.dynamicTest(
                        timeline.name() + " · " + client.name(), () -> compare(timeline, client)));
            }
        }
        return tests.stream();
    }

    private static void compare(Timeline timeline, Client client) throws Exception {
        FaultTimeline faulty =
                new FaultTimeline(VERTX, timeline.refused() ? List.of(FaultTimeline.OK) : timeline.steps());
        FaultTimeline healthy = new FaultTimeline(VERTX, List.of(FaultTimeline.OK));
        FaultTimeline counted = timeline.refused() ? null : faulty;
        Outcome direct;
        Outcome oneTarget;
        Outcome twoTargets;
        try (FakeUpstream upstream = FakeUpstream.start(VERTX).respond(faulty);
                FakeUpstream backup = FakeUpstream.start(VERTX).respond(healthy)) {
            String faultyUrl = timeline.refused() ? "http://127.0.0.1:" + closedPort() : root(upstream);
            List<FaultTimeline> faultyOnly = counted == null ? List.of() : List.of(faulty);
            List<FaultTimeline> both = new ArrayList<>(faultyOnly);
            both.add(healthy);
            // A shared machine's noise can cost a client run a second: when the router looks slower, every path gets
            // another round (up to three) and the quickest run of each counts. A router that is really slower stays
            // slower in every round.
            Outcome[] best = new Outcome[3];
            for (int round = 0; round < ROUNDS && !quickEnough(best); round++) {
                faulty.rewind();
                best[0] = quicker(best[0], client.run(faultyUrl, counted, faultyOnly));
                faulty.rewind();
                try (RouterFixture router = RouterFixture.start(oneEndpoint(faultyUrl))) {
                    best[1] = quicker(best[1], client.run(router.baseUrl(), counted, faultyOnly));
                }
                faulty.rewind();
                healthy.rewind();
                try (RouterFixture router = RouterFixture.start(failover(faultyUrl, root(backup)))) {
                    best[2] = quicker(best[2], client.run(router.baseUrl(), counted, both));
                }
            }
            direct = best[0];
            oneTarget = best[1];
            twoTargets = best[2];
        }
        TABLE.add("| " + timeline.name() + " | " + client.name() + " | " + direct.cell() + " | " + oneTarget.cell()
                + " | " + twoTargets.cell() + " |");

        String what = timeline.name() + " · " + client.name() + ": direct " + direct + ", through ccr " + oneTarget;
        assertThat(oneTarget.ok()).as(what).isEqualTo(direct.ok());
        if (direct.status() != null) {
            assertThat(oneTarget.status()).as(what).isEqualTo(direct.status());
            assertThat(oneTarget.type()).as(what).isEqualTo(direct.type());
            assertThat(oneTarget.said()).as(what).isEqualTo(direct.said());
        } else if (timeline.refused()) {
            // No answer at all directly: the router answers in Anthropic's shape instead, naming the endpoint, and
            // the client treats it as the server-side failure it is (retried the same way).
            assertThat(oneTarget.status()).as(what).isEqualTo(502);
        } else if (client instanceof Cli) {
            assertThat(oneTarget.said()).as(what).isEqualTo(direct.said());
        }
        // (An SDK stream cut off directly fails with a bare connection error; through ccr, with the api_error event
        // that ends the stream. Either way the caller gets an error, not an answer that looks complete.)
        assertThat(oneTarget.calls()).as("upstream calls: " + what).isLessThanOrEqualTo(direct.calls());
        assertThat(oneTarget.millis()).as("time: " + what).isLessThanOrEqualTo(direct.millis() + SLACK_MILLIS);

        String failover =
                timeline.name() + " · " + client.name() + ": direct " + direct + ", two targets " + twoTargets;
        assertThat(twoTargets.millis()).as("time: " + failover).isLessThanOrEqualTo(direct.millis() + SLACK_MILLIS);
        if (timeline.midStream()) {
            // The broken answer was the client's already; its own retry goes to the second target.
            assertThat(twoTargets.ok()).as(failover).isEqualTo(direct.ok());
            if (client instanceof Cli) {
                assertThat(twoTargets.calls())
                        .as("the retry avoids the target that just broke: " + failover)
                        .isOne();
            }
            return;
        }
        assertThat(twoTargets.ok()).as("the second target answers: " + failover).isTrue();
        assertThat(twoTargets.said()).as(failover).isEqualTo(FaultTimeline.TEXT);
        assertThat(twoTargets.calls())
                .as("calls to the faulty target: " + failover)
                .isLessThanOrEqualTo(1);
    }

    private static final int ROUNDS = 3;

    /** Whether both routed runs came within the slack of the direct one. */
    private static boolean quickEnough(Outcome[] best) {
        return best[0] != null
                && best[1].millis() <= best[0].millis() + SLACK_MILLIS
                && best[2].millis() <= best[0].millis() + SLACK_MILLIS;
    }

    /** The quicker of two runs of the same path, which must end the same way. */
    private static Outcome quicker(Outcome before, Outcome next) {
        if (before == null) {
            return next;
        }
        assertThat(next.ok())
                .as("the same outcome in every round: " + before + " then " + next)
                .isEqualTo(before.ok());
        return next.millis() < before.millis() ? next : before;
    }

    /**
     * Three prompts fail (each tried twice by the CLI), then the upstream is healthy again: the fourth prompt is
     * answered at once, as it is directly — no circuit breaker keeps a recovered upstream from its only route.
     */
    @TestFactory
    Stream<DynamicTest> afterThreeFailedPromptsAHealthyOneIsAnsweredAtOnce() {
        List<DynamicTest> tests = new ArrayList<>();
        for (ClaudeCli.Version version : ClaudeCli.Version.values()) {
            for (Step failure :
                    List.of(FaultTimeline.status(500, "api_error"), FaultTimeline.status(529, "overloaded_error"))) {
                String failing = ((FaultTimeline.Status) failure).status() + "";
                tests.add(DynamicTest.dynamicTest(
                        "claude " + version.number() + " · three prompts failing with " + failing,
                        () -> threeFailedPromptsThenAHealthyOne(new Cli(version, false), failure)));
            }
        }
        return tests.stream();
    }

    private static void threeFailedPromptsThenAHealthyOne(Cli cli, Step failure) throws Exception {
        List<Step> steps = new ArrayList<>(Collections.nCopies(6, failure));
        steps.add(FaultTimeline.OK);
        FaultTimeline timeline = new FaultTimeline(VERTX, steps);
        try (FakeUpstream upstream = FakeUpstream.start(VERTX).respond(timeline)) {
            Outcome direct = fourthPrompt(cli, root(upstream), timeline);
            timeline.rewind();
            Outcome routed;
            try (RouterFixture router = RouterFixture.start(oneEndpoint(root(upstream)))) {
                routed = fourthPrompt(cli, router.baseUrl(), timeline);
            }
            TABLE.add("| three failed prompts (" + ((FaultTimeline.Status) failure).status() + "), then a healthy one |"
                    + " " + cli.name() + " | " + direct.cell() + " | " + routed.cell() + " | |");
            assertThat(direct.ok()).isTrue();
            assertThat(routed.ok())
                    .as("the fourth prompt through the router: " + routed)
                    .isTrue();
            assertThat(routed.said()).isEqualTo(direct.said());
            assertThat(routed.millis()).isLessThanOrEqualTo(direct.millis() + SLACK_MILLIS);
        }
    }

    /** Runs four prompts; the outcome of the fourth, with its own time and calls. */
    private static Outcome fourthPrompt(Cli cli, String baseUrl, FaultTimeline timeline) throws Exception {
        for (int i = 0; i < 3; i++) {
            Outcome failed = cli.run(baseUrl, timeline, List.of(timeline));
            assertThat(failed.ok()).as("prompt " + (i + 1) + " fails").isFalse();
        }
        timeline.forgetCalls();
        return cli.run(baseUrl, timeline, List.of(timeline));
    }

    /**
     * An upstream that never answers, and a second target: the router gives up on the first after {@code
     * timeouts.firstByteMs} and the second answers, where the client alone waits out its own timeout and fails.
     */
    @Test
    void anUpstreamThatNeverAnswersIsFailedOverWhereDirectTimesOut() throws Exception {
        FaultTimeline hanging = new FaultTimeline(VERTX, List.of(new FaultTimeline.Hang()));
        FaultTimeline healthy = new FaultTimeline(VERTX, List.of(FaultTimeline.OK));
        Cli cli = new Cli(ClaudeCli.Version.LATEST, false);
        Map<String, String> clientTimeout = Map.of("API_TIMEOUT_MS", "4000");
        try (FakeUpstream upstream = FakeUpstream.start(VERTX).respond(hanging);
                FakeUpstream backup = FakeUpstream.start(VERTX).respond(healthy)) {
            Outcome direct = cli.run(root(upstream), hanging, List.of(hanging), clientTimeout);
            hanging.rewind();
            String config = failover(root(upstream), root(backup))
                    .replace("\"routes\"", "\"timeouts\": {\"firstByteMs\": 2000}, \"routes\"");
            Outcome routed;
            try (RouterFixture router = RouterFixture.start(config)) {
                routed = cli.run(router.baseUrl(), hanging, List.of(hanging, healthy), clientTimeout);
            }
            TABLE.add("| an upstream that never answers (client timeout 4 s, router firstByteMs 2 s) | " + cli.name()
                    + " | " + direct.cell() + " | | " + routed.cell() + " |");
            assertThat(direct.ok()).isFalse();
            assertThat(routed.ok()).as(routed.toString()).isTrue();
            assertThat(routed.millis()).isLessThan(direct.millis());
        }
    }

    @AfterAll
    static void writeTable() throws IOException {
        VERTX.close().await();
        List<String> lines = new ArrayList<>(List.of(
                "| timeline | client | direct | through ccr, one target | through ccr, two targets (failover) |",
                "|---|---|---|---|---|"));
        lines.addAll(TABLE);
        Path out = Path.of("target", "never-worse-than-direct.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
    }

    /** The upstream's root: clients append {@code /v1/messages} themselves. */
    private static String root(FakeUpstream upstream) {
        return "http://127.0.0.1:" + upstream.port();
    }

    /** The seed's config: one Anthropic endpoint, nothing about retries or breakers. */
    private static String oneEndpoint(String root) {
        return """
                {"endpoints": [{"name": "anthropic", "type": "anthropic", "baseUrl": "%s/v1", "apiKey": "sk-ant-e"}]}
                """
                .formatted(root);
    }

    private static String failover(String faultyRoot, String healthyRoot) {
        return """
                {
                  "endpoints": [
                    {"name": "first", "type": "anthropic", "baseUrl": "%s/v1", "apiKey": "sk-ant-a"},
                    {"name": "second", "type": "anthropic", "baseUrl": "%s/v1", "apiKey": "sk-ant-b"}
                  ],
                  "routes": {"default": ["first", "second"]}
                }
                """
                .formatted(faultyRoot, healthyRoot);
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
