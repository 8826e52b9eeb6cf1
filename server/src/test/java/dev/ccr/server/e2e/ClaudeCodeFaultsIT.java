package dev.ccr.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ccr.server.testing.ClaudeCli;
import dev.ccr.server.testing.FakeUpstream;
import dev.ccr.server.testing.RecordedRequest;
import dev.ccr.server.testing.RouterFixture;
import dev.ccr.server.testing.ScenarioModel;
import dev.ccr.server.testing.ScenarioModel.Format;
import io.vertx.core.http.HttpServerResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What a user of either Claude Code version sees when a translated upstream (OpenAI format, Gemini) is overloaded
 * (529), rate-limited (429) or breaks off in the middle of a stream: when the fault passes, the answer arrives; when
 * it stays, the CLI shows an error rather than a wrong or empty answer. Only what the user sees is asserted, not how
 * many attempts anyone made or how long they took: retries are the router's and the CLI's business (docs/RESILIENCE.md).
 */
class ClaudeCodeFaultsIT {
    enum Fault {
        OVERLOADED_529,
        RATE_LIMITED_429,
        MID_STREAM_ERROR;

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT).replace('_', ' ');
        }
    }

    static Stream<Arguments> matrix() {
        List<Arguments> cases = new ArrayList<>();
        for (ClaudeCli.Version version : ClaudeCli.Version.values()) {
            for (Format format : List.of(Format.OPENAI, Format.GEMINI)) {
                for (Fault fault : Fault.values()) {
                    for (boolean transient_ : List.of(true, false)) {
                        cases.add(Arguments.of(version, format, fault, transient_));
                    }
                }
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} via {1}: {2}, transient {3}")
    @MethodSource("matrix")
    void theUserSeesTheAnswerOrTheError(ClaudeCli.Version version, Format format, Fault fault, boolean passes)
            throws Exception {
        ScenarioModel model = new ScenarioModel(format);
        AtomicInteger faulted = new AtomicInteger();
        try (FakeUpstream upstream = FakeUpstream.start();
                RouterFixture router = RouterFixture.start(ClaudeCodeScenariosIT.config(format, upstream))) {
            upstream.respond((request, response) -> {
                // A transient fault hits the first request only; a lasting one every request.
                if (!passes || faulted.getAndIncrement() == 0) {
                    fault(format, fault, upstream).accept(request, response);
                } else {
                    model.accept(request, response);
                }
            });
            Path home = Files.createTempDirectory("ccr-claude-home");
            Path work = Files.createTempDirectory("ccr-claude-work");
            ClaudeCli.Run run = version.print(work, ClaudeCli.environment(home, router.baseUrl(), "ccr"), "say hi");

            String shown = run.stdout() + run.stderr();
            if (passes) {
                assertThat(run.exitCode()).as(shown).isZero();
                assertThat(run.json().path("is_error").asBoolean()).as(shown).isFalse();
                assertThat(run.result()).isEqualTo(ScenarioModel.PLAIN_ANSWER);
            } else {
                assertThat(failed(run)).as("the CLI shows an error: " + shown).isTrue();
                assertThat(shown).doesNotContain(ScenarioModel.PLAIN_ANSWER);
                assertThat(shown.toLowerCase(Locale.ROOT)).containsAnyOf(expectedWords(fault));
            }
            assertThat(messageRequests(upstream)).isNotEmpty();
        }
    }

    /** Whether the run ended as a failure the user is told about. */
    private static boolean failed(ClaudeCli.Run run) {
        if (run.exitCode() != 0) {
            return true;
        }
        JsonNode result = run.json();
        return result.path("is_error").asBoolean(false);
    }

    /** Words of the message the user gets, whichever of the CLI's wordings. */
    private static String[] expectedWords(Fault fault) {
        return switch (fault) {
            case OVERLOADED_529 -> new String[] {"529", "overloaded"};
            case RATE_LIMITED_429 -> new String[] {"429", "rate limit", "rate_limit"};
            case MID_STREAM_ERROR -> new String[] {"api error", "error", "connection"};
        };
    }

    private static List<RecordedRequest> messageRequests(FakeUpstream upstream) {
        return upstream.requests().stream()
                .filter(r -> r.method().equals("POST"))
                .toList();
    }

    /** The fault as the format's upstream answers it. */
    private static BiConsumer<RecordedRequest, HttpServerResponse> fault(
            Format format, Fault fault, FakeUpstream upstream) {
        return (request, response) -> {
            switch (fault) {
                case OVERLOADED_529 ->
                    error(
                            response,
                            529,
                            format == Format.OPENAI
                                    ? "{\"error\":{\"message\":\"The server is overloaded.\",\"type\":\"server_error\","
                                            + "\"code\":\"overloaded\"}}"
                                    : "{\"error\":{\"code\":529,\"message\":\"The model is overloaded.\","
                                            + "\"status\":\"UNAVAILABLE\"}}");
                case RATE_LIMITED_429 ->
                    error(
                            response,
                            429,
                            format == Format.OPENAI
                                    ? "{\"error\":{\"message\":\"Rate limit reached for requests.\","
                                            + "\"type\":\"rate_limit_exceeded\",\"code\":\"rate_limit_exceeded\"}}"
                                    : "{\"error\":{\"code\":429,\"message\":\"Resource has been exhausted.\","
                                            + "\"status\":\"RESOURCE_EXHAUSTED\"}}");
                case MID_STREAM_ERROR -> midStream(format, request, response, upstream);
            }
        };
    }

    private static void error(HttpServerResponse response, int status, String body) {
        response.setStatusCode(status)
                .putHeader("content-type", "application/json")
                .end(body);
    }

    /**
     * The stream starts with content, then fails: OpenAI-format upstreams send an error chunk, a Gemini stream is cut
     * off. A request that asks for no stream (the CLI's fallback) fails as a whole with a 500.
     */
    private static void midStream(
            Format format, RecordedRequest request, HttpServerResponse response, FakeUpstream upstream) {
        boolean stream = format == Format.GEMINI
                ? request.path().contains(":streamGenerateContent")
                : request.bodyText().contains("\"stream\":true");
        if (!stream) {
            error(response, 500, "{\"error\":{\"message\":\"internal error\",\"type\":\"server_error\"}}");
            return;
        }
        response.setStatusCode(200)
                .putHeader("content-type", "text/event-stream")
                .setChunked(true);
        if (format == Format.OPENAI) {
            response.write("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Partial \"}}]}\n\n");
            upstream.vertx()
                    .setTimer(
                            50,
                            id -> response.end("data: {\"error\":{\"message\":\"upstream connection reset\","
                                    + "\"type\":\"server_error\"}}\n\n"));
        } else {
            response.write(
                    "data: {\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":[{\"text\":\"Partial \"}]}}]}"
                            + "\r\n\r\n");
            upstream.vertx().setTimer(50, id -> response.reset());
        }
    }
}
