package dev.ccr.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ccr.server.json.Json;
import dev.ccr.server.testing.FakeUpstream;
import dev.ccr.server.testing.Node;
import dev.ccr.server.testing.RouterFixture;
import io.vertx.core.http.HttpServerResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The official {@code @anthropic-ai/sdk} consumes translated answers and accepts them: its stream parser rejects bad
 * event order, frames without {@code event:} lines and malformed JSON, and it picks its error class from the status
 * and shape. The upstream answers are the golden fixtures, so this checks the same matrix with a real client.
 */
class SdkStreamIT {
    private static final Path GOLDEN = Path.of("src/test/resources/golden");
    private static FakeUpstream upstream;
    private static RouterFixture router;

    @BeforeAll
    static void start() {
        upstream = FakeUpstream.start();
        router = RouterFixture.start(
                """
                {
                  "endpoints": [
                    { "name": "openai", "type": "openai", "baseUrl": "%1$s", "apiKey": "sk-test" },
                    { "name": "gemini", "type": "gemini", "baseUrl": "%1$s", "apiKey": "g-test" }
                  ]
                }
                """
                        .formatted(upstream.baseUrl()));
    }

    @AfterAll
    static void stop() {
        router.close();
        upstream.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"openai", "gemini"})
    void acceptsText(String format) throws Exception {
        JsonNode result = run(format, "plain", "stream");
        assertThat(result.path("ok").asBoolean()).as(result.toString()).isTrue();
        JsonNode message = result.path("message");
        assertThat(message.path("content").path(0).path("text").asText()).isEqualTo("Salut ! ✓");
        assertThat(message.path("stop_reason").asText()).isEqualTo("end_turn");
        assertThat(message.path("usage").path("input_tokens").asInt()).isEqualTo(20);
        assertThat(message.path("usage").path("cache_read_input_tokens").asInt())
                .isEqualTo(100);
        assertThat(message.path("usage").path("output_tokens").asInt()).isEqualTo(5);
        assertThat(texts(result.path("events")))
                .startsWith("message_start", "content_block_start")
                .endsWith("content_block_stop", "message_delta", "message_stop");
    }

    @ParameterizedTest
    @ValueSource(strings = {"openai", "gemini"})
    void acceptsToolUse(String format) throws Exception {
        JsonNode message = ok(run(format, "tool_use", "stream"));
        JsonNode tool = last(message.path("content"));
        assertThat(tool.path("type").asText()).isEqualTo("tool_use");
        assertThat(tool.path("name").asText()).isEqualTo("Bash");
        assertThat(tool.path("input")).isEqualTo(Json.object().put("command", "ls"));
        assertThat(message.path("stop_reason").asText()).isEqualTo("tool_use");
    }

    @ParameterizedTest
    @ValueSource(strings = {"openai", "gemini"})
    void acceptsParallelToolUse(String format) throws Exception {
        JsonNode message = ok(run(format, "parallel_tools", "stream"));
        assertThat(message.path("content").findValuesAsText("name")).containsExactly("Read", "Bash");
        assertThat(message.path("content").path(1).path("input").path("command").asText())
                .isEqualTo("git status");
    }

    @ParameterizedTest
    @ValueSource(strings = {"openai", "gemini"})
    void acceptsThinking(String format) throws Exception {
        JsonNode message = ok(run(format, "thinking_signature", "stream"));
        JsonNode thinking = message.path("content").path(0);
        assertThat(thinking.path("type").asText()).isEqualTo("thinking");
        assertThat(thinking.path("thinking").asText()).isEqualTo("The tool said 3, so three files.");
        if (format.equals("gemini")) {
            // The Gemini thought signature came with the answer's text: it signs the thoughts before that text,
            // verbatim, for the next turn to carry back, and the text stays whole.
            assertThat(thinking.path("signature").asText()).isEqualTo("gsig-answer");
            assertThat(last(message.path("content")).path("text").asText()).isEqualTo("There are 3 files.");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"openai", "gemini"})
    void acceptsWholeMessages(String format) throws Exception {
        JsonNode message = ok(run(format, "non_streaming", "create"));
        assertThat(last(message.path("content")).path("input").path("command").asText())
                .isEqualTo("date");
    }

    @ParameterizedTest
    @ValueSource(strings = {"openai", "gemini"})
    void mapsErrorsToTheSdkClasses(String format) throws Exception {
        assertError(run(format, "upstream_4xx", "stream"), "BadRequestError", 400, "invalid_request_error");
        assertError(
                run(format, "upstream_5xx", "stream"),
                "ServiceUnavailableError",
                503,
                format.equals("gemini") ? "overloaded_error" : "api_error");
        assertError(run(format, "error_in_stream", "stream"), "APIError", null, "rate_limit_error");
        assertError(run(format, "stream_cut_short", "stream"), "APIError", null, "api_error");
    }

    private static void assertError(JsonNode result, String errorClass, Integer status, String type) {
        assertThat(result.path("ok").asBoolean()).as(result.toString()).isFalse();
        assertThat(result.path("errorClass").asText()).as(result.toString()).isEqualTo(errorClass);
        if (status == null) {
            assertThat(result.path("status").isNull()).as(result.toString()).isTrue();
        } else {
            assertThat(result.path("status").asInt()).isEqualTo(status);
        }
        assertThat(result.path("type").asText()).isEqualTo(type);
    }

    private static JsonNode ok(JsonNode result) {
        assertThat(result.path("ok").asBoolean()).as(result.toString()).isTrue();
        return result.path("message");
    }

    private static JsonNode last(JsonNode array) {
        return array.get(array.size() - 1);
    }

    private static List<String> texts(JsonNode array) {
        return java.util.stream.StreamSupport.stream(array.spliterator(), false)
                .map(JsonNode::asText)
                .toList();
    }

    /**
     * Writes one SSE event at a time, a little apart, as a real upstream does: an error after content then reaches
     * the router after the content went out, which the client must see as an {@code event: error}.
     */
    private static void writeEventsApart(HttpServerResponse response, List<String> events, int next) {
        if (next == events.size()) {
            response.end();
            return;
        }
        if (next == 0) {
            response.setChunked(true);
        }
        response.write(events.get(next));
        upstream.vertx().setTimer(20, id -> writeEventsApart(response, events, next + 1));
    }

    /** Scripts the upstream with the scenario's golden answer, then lets the SDK send the scenario's request. */
    private static JsonNode run(String format, String scenario, String mode) throws Exception {
        String scripted = Files.readString(
                GOLDEN.resolve(format).resolve(scenario).resolve("upstream-response.txt"), StandardCharsets.UTF_8);
        int split = scripted.indexOf("\n\n");
        String[] head = scripted.substring(0, split).split("\n");
        String body = scripted.substring(split + 2);
        upstream.respond((request, response) -> {
            response.setStatusCode(Integer.parseInt(head[0].strip()));
            for (int i = 1; i < head.length; i++) {
                int colon = head[i].indexOf(':');
                response.putHeader(
                        head[i].substring(0, colon),
                        head[i].substring(colon + 1).strip());
            }
            writeEventsApart(response, List.of(body.split("(?<=\\n\\r?\\n)")), 0);
        });
        ObjectNode request = (ObjectNode) Json.MAPPER.readTree(
                GOLDEN.resolve("requests").resolve(scenario + ".json").toFile());
        request.put("model", format + "," + format + "-model");
        Path file = Files.createTempFile("ccr-sdk", ".json");
        try {
            Files.writeString(file, Json.write(request));
            Node.Result result =
                    Node.run(List.of("node", "sdk-check.mjs", router.baseUrl(), file.toString(), mode), Map.of(), 60);
            assertThat(result.exitCode()).as(result.stderr()).isZero();
            return Json.MAPPER.readTree(result.stdout());
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
