package dev.ccr.server.translate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ccr.server.json.Json;
import dev.ccr.server.testing.FakeUpstream;
import dev.ccr.server.testing.Http;
import dev.ccr.server.testing.RecordedRequest;
import dev.ccr.server.testing.RouterFixture;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The translation matrix, pinned end to end through a real router: for each scenario and each translated format, the
 * request the upstream receives and the response the client receives must equal the files under {@code
 * src/test/resources/golden}.
 *
 * <ul>
 *   <li>{@code requests/<scenario>.json}: what the client sends (its model is replaced by {@code <format>,<model>});
 *   <li>{@code <format>/<scenario>/upstream-response.txt}: what the fake upstream answers (status, headers, blank
 *       line, body; streamed bodies are written in small pieces to exercise incremental parsing);
 *   <li>{@code <format>/<scenario>/upstream-request.txt}: expected method, path, key header and pretty-printed body;
 *   <li>{@code <format>/<scenario>/client-response.txt}: expected status, routing headers and body, with generated
 *       ids replaced by placeholders.
 * </ul>
 *
 * After an intended change, {@code -Dgolden.update=true} rewrites the expected files from what the router did; review
 * the diff before committing it.
 */
class GoldenTranslationTest {
    private static final Path ROOT = Path.of("src/test/resources/golden");
    private static final boolean UPDATE = Boolean.getBoolean("golden.update");
    private static final Map<String, String> MODELS = Map.of("openai", "gpt-test", "gemini", "gemini-test");
    private static final Map<String, String> KEY_HEADERS =
            Map.of("openai", "authorization", "gemini", "x-goog-api-key");
    private static final List<String> CLIENT_HEADERS =
            List.of("content-type", "x-should-retry", "retry-after", "x-ccr-endpoint", "x-ccr-model", "x-ccr-route");
    /** Small pieces that split frames, lines and multi-byte characters anywhere. */
    private static final int PIECE = 7;

    private static FakeUpstream upstream;
    private static RouterFixture router;

    @BeforeAll
    static void start() {
        // One attempt per request: these cases pin translation; retrying upstream errors is FaultInjectionTest's.
        upstream = FakeUpstream.start();
        router = RouterFixture.start(
                """
                {
                  "endpoints": [
                    { "name": "openai", "type": "openai", "baseUrl": "%1$s", "apiKey": "sk-openai-test",
                      "quirks": { "sendReasoningBack": true, "reasoningRequest": "reasoning_effort",
                                  "maxTokensField": "max_completion_tokens", "structuredOutput": true } },
                    { "name": "gemini", "type": "gemini", "baseUrl": "%1$s", "apiKey": "gemini-test-key" }
                  ],
                  "retry": { "maxAttempts": 1 }
                }
                """
                        .formatted(upstream.baseUrl()));
    }

    @AfterAll
    static void stop() {
        router.close();
        upstream.close();
    }

    static Stream<Arguments> cases() throws IOException {
        List<Arguments> cases = new ArrayList<>();
        try (Stream<Path> requests = Files.list(ROOT.resolve("requests"))) {
            for (Path request : requests.sorted().toList()) {
                String scenario = request.getFileName().toString().replace(".json", "");
                for (String format : List.of("openai", "gemini")) {
                    cases.add(Arguments.of(format, scenario));
                }
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{1} via {0}")
    @MethodSource("cases")
    void translatesBothWays(String format, String scenario) throws IOException {
        Path dir = ROOT.resolve(format).resolve(scenario);
        ScriptedResponse scripted = ScriptedResponse.parse(read(dir.resolve("upstream-response.txt")));
        upstream.respond((request, response) -> {
            response.setStatusCode(scripted.status);
            scripted.headers.forEach(response::putHeader);
            response.setChunked(true);
            byte[] body = scripted.body.getBytes(StandardCharsets.UTF_8);
            for (int i = 0; i < body.length; i += PIECE) {
                response.write(Buffer.buffer().appendBytes(body, i, Math.min(PIECE, body.length - i)));
            }
            response.end();
        });
        ObjectNode request = (ObjectNode) Json.MAPPER.readTree(read(ROOT.resolve("requests/" + scenario + ".json")));
        request.put("model", format + "," + MODELS.get(format));
        int before = upstream.requests().size();

        HttpResponse<String> response = Http.post(
                router.baseUrl() + "/v1/messages?beta=true",
                Json.write(request),
                Map.of("content-type", "application/json", "anthropic-version", "2023-06-01", "x-api-key", "ccr"));

        assertThat(upstream.requests()).hasSize(before + 1);
        compare(dir.resolve("upstream-request.txt"), describe(upstream.lastRequest(), KEY_HEADERS.get(format)));
        compare(dir.resolve("client-response.txt"), describe(response));
    }

    private static String describe(RecordedRequest request, String keyHeader) throws IOException {
        JsonNode body = Json.MAPPER.readTree(request.bodyText());
        return request.method() + " " + request.path() + (request.query() == null ? "" : "?" + request.query())
                + "\n" + keyHeader + ": " + request.header(keyHeader)
                + "\naccept: " + request.header("accept")
                + "\n\n" + Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(body) + "\n";
    }

    private static String describe(HttpResponse<String> response) {
        StringBuilder out = new StringBuilder().append(response.statusCode()).append('\n');
        for (String name : CLIENT_HEADERS) {
            response.headers()
                    .firstValue(name)
                    .ifPresent(v -> out.append(name).append(": ").append(v).append('\n'));
        }
        String body = response.body()
                .replaceAll("msg_ccr_[0-9A-Za-z]{22}", "msg_ccr_<id>")
                .replaceAll("toolu_ccr_[0-9A-Za-z]{22}", "toolu_ccr_<id>")
                .replaceAll("req_ccr_[0-9A-Za-z]{20}", "req_ccr_<id>");
        return out.append('\n')
                .append(body)
                .append(body.endsWith("\n") ? "" : "\n")
                .toString();
    }

    private static void compare(Path expectedFile, String actual) throws IOException {
        if (UPDATE) {
            Files.createDirectories(expectedFile.getParent());
            Files.writeString(expectedFile, actual, StandardCharsets.UTF_8);
            return;
        }
        assertThat(expectedFile)
                .as("golden file (create it with -Dgolden.update=true)")
                .exists();
        assertThat(actual).as(expectedFile.toString()).isEqualTo(read(expectedFile));
    }

    private static String read(Path file) throws IOException {
        return Files.readString(file, StandardCharsets.UTF_8);
    }

    /** An upstream answer as written in a fixture: status line, header lines, a blank line, the body. */
    private record ScriptedResponse(int status, Map<String, String> headers, String body) {
        static ScriptedResponse parse(String text) {
            int split = text.indexOf("\n\n");
            String[] head = text.substring(0, split).split("\n");
            Map<String, String> headers = new java.util.LinkedHashMap<>();
            for (int i = 1; i < head.length; i++) {
                int colon = head[i].indexOf(':');
                headers.put(
                        head[i].substring(0, colon).strip(),
                        head[i].substring(colon + 1).strip());
            }
            return new ScriptedResponse(Integer.parseInt(head[0].strip()), headers, text.substring(split + 2));
        }
    }
}
