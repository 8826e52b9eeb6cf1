package dev.ccr.server.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ccr.server.json.Json;
import dev.ccr.server.testing.FaultyUpstream;
import dev.ccr.server.testing.FaultyUpstream.Fault;
import dev.ccr.server.testing.FaultyUpstream.Format;
import dev.ccr.server.testing.FaultyUpstream.Plan;
import dev.ccr.server.testing.Http;
import dev.ccr.server.testing.RawClient;
import dev.ccr.server.testing.RouterFixture;
import dev.ccr.server.testing.StreamCheck;
import io.vertx.core.Vertx;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Faults at every point of an answer, against real upstreams on loopback, for a passed-through (Anthropic) and a
 * translated (OpenAI) endpoint. The client always gets a correct complete answer (retried or failed over) or a correct
 * error, never a stream that just stops; and afterwards nothing is held: no upstream exchange, permit or queue place.
 */
class FaultInjectionTest {
    private static Vertx vertx;
    private static final Map<Format, FaultyUpstream> faulty = new HashMap<>();
    private static final Map<Format, FaultyUpstream> healthy = new HashMap<>();
    private static RouterFixture router;

    @BeforeAll
    static void start() throws Exception {
        vertx = Vertx.vertx();
        for (Format format : Format.values()) {
            faulty.put(format, new FaultyUpstream(vertx, format));
            healthy.put(format, new FaultyUpstream(vertx, format));
        }
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        // Short enough to keep the stall cases quick, long enough for a cold translation path on a busy machine.
        String timeouts = "\"timeouts\": {\"firstByteMs\": 1000, \"idleMs\": 1000}";
        router = RouterFixture.start(
                """
                {
                  "endpoints": [
                    {"name": "a", "type": "anthropic", "baseUrl": "%s", "apiKey": "ka-0123456789", %s},
                    {"name": "b", "type": "anthropic", "baseUrl": "%s", "apiKey": "kb-0123456789"},
                    {"name": "oa", "type": "openai", "baseUrl": "%s", "apiKey": "ko-0123456789", %s},
                    {"name": "ob", "type": "openai", "baseUrl": "%s", "apiKey": "kp-0123456789"},
                    {"name": "dead", "type": "anthropic", "baseUrl": "http://127.0.0.1:%d/v1", "apiKey": "kd-01234567"}
                  ],
                  "rules": [
                    {"name": "anthropic-failover", "headers": {"x-test-route": "ANTHROPIC"}, "target": ["a", "b"]},
                    {"name": "openai-failover", "headers": {"x-test-route": "OPENAI"},
                     "target": ["oa,gpt-test", "ob,gpt-test"]},
                    {"name": "dead-first", "headers": {"x-test-route": "dead"}, "target": ["dead", "b"]},
                    {"name": "anthropic-alone", "headers": {"x-test-route": "alone"}, "target": "a"},
                    {"name": "slow-anthropic", "headers": {"x-test-route": "ANTHROPIC-alone"}, "target": "a"},
                    {"name": "slow-openai", "headers": {"x-test-route": "OPENAI-alone"}, "target": "oa,gpt-test"}
                  ],
                  "retry": {"maxAttempts": 3, "initialBackoffMs": 10, "maxBackoffMs": 20, "budgetPercent": 100},
                  "breaker": {"enabled": false}
                }
                """
                        .formatted(
                                faulty.get(Format.ANTHROPIC).baseUrl(),
                                timeouts,
                                healthy.get(Format.ANTHROPIC).baseUrl(),
                                faulty.get(Format.OPENAI).baseUrl(),
                                timeouts,
                                healthy.get(Format.OPENAI).baseUrl(),
                                closedPort));
    }

    @AfterAll
    static void stop() {
        router.close();
        faulty.values().forEach(FaultyUpstream::close);
        healthy.values().forEach(FaultyUpstream::close);
        vertx.close().await();
    }

    @AfterEach
    void nothingIsLeftBehind() {
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            for (FaultyUpstream upstream : faulty.values()) {
                assertThat(upstream.openExchanges())
                        .as("upstream exchanges still open")
                        .isZero();
            }
            for (FaultyUpstream upstream : healthy.values()) {
                assertThat(upstream.openExchanges())
                        .as("upstream exchanges still open")
                        .isZero();
            }
            var flow = router.runtime().flow();
            for (String endpoint : List.of("a", "b", "oa", "ob", "dead")) {
                assertThat(flow.inFlight(endpoint))
                        .as("requests in flight to %s", endpoint)
                        .isZero();
            }
            assertThat(flow.clients().inFlight("local")).as("client permits").isZero();
            assertThat(flow.queue().size()).as("queued requests").isZero();
        });
        forgetFailures();
    }

    /**
     * Each case starts from a router that has not seen the previous one's failure: an endpoint that just failed or said
     * "not now" goes after the others for a few seconds, and these cases are about the faulty endpoint going first.
     */
    private static void forgetFailures() {
        List.of("a", "oa").forEach(router.runtime().breakers()::clearBusy);
    }

    private static HttpResponse<String> send(String route, boolean stream, Map<String, String> extra) {
        Map<String, String> headers =
                new HashMap<>(Map.of("content-type", "application/json", "x-api-key", "client", "x-test-route", route));
        headers.putAll(extra);
        return Http.post(
                router.baseUrl() + "/v1/messages",
                "{\"model\":\"claude-test\",\"max_tokens\":100,\"stream\":" + stream
                        + ",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
                headers);
    }

    static Stream<Arguments> faultsAtEveryPosition() {
        List<Arguments> cases = new ArrayList<>();
        for (Format format : Format.values()) {
            int frames = format == Format.ANTHROPIC ? 8 : 6;
            for (Fault fault : List.of(Fault.STALL, Fault.RESET, Fault.MALFORMED, Fault.ERROR_EVENT, Fault.END)) {
                for (int position = 0; position < frames; position++) {
                    cases.add(Arguments.of(format, Plan.at(fault, position)));
                }
            }
            cases.add(Arguments.of(format, Plan.at(Fault.CLOSE, 0)));
            for (int status : new int[] {408, 409, 429, 500, 502, 503, 529}) {
                cases.add(Arguments.of(format, Plan.status(status)));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("faultsAtEveryPosition")
    void aStreamGetsACompleteAnswerOrACorrectErrorNeverASilentEnd(Format format, Plan plan) {
        FaultyUpstream upstream = faulty.get(format);
        upstream.then(plan);
        int before = upstream.requests();
        int backupBefore = healthy.get(format).requests();

        HttpResponse<String> response = send(format.name(), true, Map.of());

        assertThat(response.statusCode()).isEqualTo(200);
        StreamCheck check = StreamCheck.of(response.body());
        String first = format == Format.ANTHROPIC ? "a" : "oa";
        String second = format == Format.ANTHROPIC ? "b" : "ob";
        assertThat(upstream.requests() - before)
                .as("attempts on the faulty endpoint")
                .isEqualTo(1);
        boolean beforeContent = plan.fault() == Fault.CLOSE
                || plan.fault() == Fault.STATUS
                || plan.position() <= upstream.contentStarts();
        if (beforeContent) {
            // Nothing had reached the client: failed over, and the client cannot tell but by the headers.
            assertThat(check.outcome()).as(response.body()).isEqualTo(StreamCheck.Outcome.COMPLETE);
            assertThat(check.text()).isEqualTo(FaultyUpstream.TEXT);
            assertThat(healthy.get(format).requests() - backupBefore).isEqualTo(1);
            assertThat(response.headers().firstValue(Exchange.HEADER_ENDPOINT)).hasValue(second);
            String trail =
                    response.headers().firstValue(Exchange.HEADER_ATTEMPTS).orElseThrow();
            assertThat(trail).startsWith(first + "=").endsWith(", " + second + "=200");
            if (plan.fault() == Fault.STATUS) {
                assertThat(trail).startsWith(first + "=" + plan.status() + ",");
            }
            return;
        }
        assertThat(healthy.get(format).requests())
                .as("no failover once content was sent")
                .isEqualTo(backupBefore);
        assertThat(response.headers().firstValue(Exchange.HEADER_ENDPOINT)).hasValue(first);
        if (check.outcome() == StreamCheck.Outcome.COMPLETE) {
            // Only a translated stream whose end markers were all sent can be complete despite the fault.
            assertThat(format).isEqualTo(Format.OPENAI);
            assertThat(plan.position()).isGreaterThanOrEqualTo(4);
            assertThat(check.text()).isEqualTo(FaultyUpstream.TEXT);
            return;
        }
        assertThat(check.outcome()).as(response.body()).isEqualTo(StreamCheck.Outcome.ERROR);
        assertThat(check.errorType()).isEqualTo(expectedErrorType(format, plan.fault()));
        assertThat(check.text())
                .as("what came before the fault, intact")
                .isEqualTo(textBefore(format, plan.position()));
        if (format == Format.ANTHROPIC) {
            String sent = String.join("", upstream.frames().subList(0, plan.position()));
            assertThat(response.body())
                    .as("the frames before the fault, byte for byte")
                    .startsWith(sent);
        }
    }

    private static String expectedErrorType(Format format, Fault fault) {
        return switch (fault) {
            case STALL -> "timeout_error";
            case ERROR_EVENT -> format == Format.ANTHROPIC ? "overloaded_error" : "rate_limit_error";
            default -> "api_error";
        };
    }

    /** The text of the deltas among the first {@code position} frames. */
    private static String textBefore(Format format, int position) {
        int deltas = format == Format.ANTHROPIC ? Math.max(0, Math.min(position, 5) - 3) : Math.min(position, 3) - 1;
        return List.of("", "Hel", "Hello").get(Math.max(0, deltas));
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void aWholeAnswerThatBreaksAnywhereIsRetriedBecauseNothingWasSentYet(Format format) {
        FaultyUpstream upstream = faulty.get(format);
        for (Plan plan : List.of(
                Plan.at(Fault.CLOSE, 0),
                Plan.at(Fault.STALL, 0),
                Plan.at(Fault.RESET, 0),
                Plan.at(Fault.MALFORMED, 0),
                Plan.status(529))) {
            forgetFailures();
            upstream.then(plan);
            HttpResponse<String> response = send(format.name(), false, Map.of());
            assertThat(response.statusCode()).as(plan + ": " + response.body()).isEqualTo(200);
            JsonNode message = json(response.body());
            assertThat(message.path("content").get(0).path("text").asText()).isEqualTo(FaultyUpstream.TEXT);
            assertThat(response.headers().firstValue(Exchange.HEADER_ATTEMPTS).orElseThrow())
                    .endsWith("=200");
        }
    }

    @Test
    void aTransientFaultIsRetriedOnTheSameEndpointUntilItAnswers() {
        FaultyUpstream upstream = faulty.get(Format.ANTHROPIC);
        upstream.then(Plan.at(Fault.RESET, 1), Plan.status(529));
        HttpResponse<String> response = send("alone", true, Map.of());
        assertThat(StreamCheck.of(response.body()).outcome()).isEqualTo(StreamCheck.Outcome.COMPLETE);
        assertThat(response.headers().firstValue(Exchange.HEADER_ATTEMPTS)).hasValue("a=broken, a=529, a=200");
    }

    @Test
    void aPersistentFaultEndsInTheUpstreamsOwnErrorWithItsStatusAfterMaxAttempts() {
        FaultyUpstream upstream = faulty.get(Format.ANTHROPIC);
        upstream.then(Plan.status(529), Plan.status(529), Plan.status(529));
        int before = upstream.requests();
        HttpResponse<String> response = send("alone", true, Map.of());
        assertThat(upstream.requests() - before).isEqualTo(3);
        assertThat(response.statusCode()).isEqualTo(529);
        assertThat(json(response.body()).path("error").path("type").asText()).isEqualTo("overloaded_error");
        assertThat(json(response.body()).path("error").path("message").asText()).isEqualTo("scripted 529");
        assertThat(response.headers().firstValue("retry-after")).hasValue("0");
        assertThat(response.headers().firstValue(Exchange.HEADER_ATTEMPTS)).hasValue("a=529, a=529, a=529");
    }

    /** How Claude Code and the official SDKs show that they retry by themselves. */
    static Stream<Map<String, String>> selfRetryingClients() {
        return Stream.of(
                Map.of("x-stainless-retry-count", "0"),
                Map.of("x-app", "cli"),
                Map.of("user-agent", "claude-cli/2.1.332 (external, cli)"),
                Map.of("anthropic-beta", "claude-code-20250219,interleaved-thinking-2025-05-14"));
    }

    @ParameterizedTest
    @MethodSource("selfRetryingClients")
    void aClientThatRetriesItselfGetsTheUpstreamsOwnAnswerAfterOneCall(Map<String, String> client) {
        FaultyUpstream upstream = faulty.get(Format.ANTHROPIC);
        upstream.then(Plan.status(529));
        int before = upstream.requests();
        HttpResponse<String> response = send("alone", true, client);
        assertThat(upstream.requests() - before).as("calls upstream").isEqualTo(1);
        assertThat(response.statusCode()).isEqualTo(529);
        assertThat(json(response.body()).path("error").path("message").asText()).isEqualTo("scripted 529");
        assertThat(response.headers().firstValue("retry-after")).hasValue("0");
        assertThat(response.headers().firstValue("x-should-retry"))
                .as("the upstream sent none, so the client decides as it would talking to it directly")
                .isEmpty();
    }

    @Test
    void aStallBeforeTheStatusTimesOutAndEndsIn504AfterEveryAttempt() {
        FaultyUpstream upstream = faulty.get(Format.ANTHROPIC);
        upstream.then(Plan.at(Fault.STALL, 0), Plan.at(Fault.STALL, 0), Plan.at(Fault.STALL, 0));
        HttpResponse<String> response = send("alone", true, Map.of());
        assertThat(response.statusCode()).isEqualTo(504);
        JsonNode error = json(response.body()).path("error");
        assertThat(error.path("type").asText()).isEqualTo("timeout_error");
        assertThat(error.path("message").asText())
                .contains("did not start answering within 1000 ms")
                .contains("after 3 attempts: a=timeout, a=timeout, a=timeout");
    }

    @Test
    void anUnreachableEndpointIsFailedOverAtOnce() {
        HttpResponse<String> response = send("dead", true, Map.of());
        assertThat(StreamCheck.of(response.body()).outcome()).isEqualTo(StreamCheck.Outcome.COMPLETE);
        assertThat(response.headers().firstValue(Exchange.HEADER_ATTEMPTS)).hasValue("dead=unreachable, b=200");
    }

    @Test
    void aRequestTheUpstreamRejectsIsNotRetried() {
        FaultyUpstream upstream = faulty.get(Format.ANTHROPIC);
        upstream.then(Plan.status(400));
        int backup = healthy.get(Format.ANTHROPIC).requests();
        HttpResponse<String> response = send(Format.ANTHROPIC.name(), true, Map.of());
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response.body()).path("error").path("message").asText()).isEqualTo("scripted 400");
        assertThat(healthy.get(Format.ANTHROPIC).requests()).isEqualTo(backup);
        assertThat(response.headers().firstValue(Exchange.HEADER_ATTEMPTS)).hasValue("a=400");
    }

    @ParameterizedTest
    @MethodSource("stallPoints")
    void aClientThatLeavesCancelsTheUpstreamRequestAndFreesEverything(Format format, int position) throws Exception {
        FaultyUpstream upstream = faulty.get(format);
        upstream.then(Plan.at(Fault.STALL, position));
        int before = upstream.requests();
        try (java.net.Socket client = RawClient.open(router.port(), format.name() + "-alone")) {
            await().until(() -> upstream.requests() > before);
            if (position > upstream.contentStarts()) {
                RawClient.readUntil(client, "content_block_start");
            }
        }
        // nothingIsLeftBehind: the router reset the upstream exchange and released every permit.
    }

    /** Stalls before the status, after it with nothing yet sent to the client, and mid-stream. */
    static Stream<Arguments> stallPoints() {
        return Stream.of(
                Arguments.of(Format.ANTHROPIC, 0),
                Arguments.of(Format.ANTHROPIC, 1),
                Arguments.of(Format.ANTHROPIC, 4),
                Arguments.of(Format.OPENAI, 0),
                Arguments.of(Format.OPENAI, 1),
                Arguments.of(Format.OPENAI, 2));
    }

    private static JsonNode json(String body) {
        try {
            return Json.MAPPER.readTree(body);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + body, e);
        }
    }
}
