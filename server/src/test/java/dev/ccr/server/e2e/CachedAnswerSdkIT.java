package dev.ccr.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ccr.server.json.Json;
import dev.ccr.server.testing.FakeUpstream;
import dev.ccr.server.testing.Loopback;
import dev.ccr.server.testing.Node;
import dev.ccr.server.testing.RouterFixture;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A cached answer replayed to the official {@code @anthropic-ai/sdk}: the SDK's stream parser accepts the replayed
 * event sequence and assembles the same message the upstream's answer gave, while the upstream is asked only once.
 */
class CachedAnswerSdkIT {
    @RegisterExtension
    final Loopback loopback = new Loopback();

    private static final Path GOLDEN = Path.of("src/test/resources/golden");

    private FakeUpstream upstream;
    private RouterFixture router;

    @BeforeEach
    void start() {
        upstream = loopback.upstream();
        router = loopback.router(
                """
                {
                  "endpoints": [{ "name": "openai", "type": "openai", "baseUrl": "%s", "apiKey": "sk-test" }],
                  "cache": {"enabled": true}
                }
                """
                        .formatted(upstream.baseUrl()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"plain", "tool_use", "thinking_signature", "parallel_tools"})
    void theSdkAcceptsAReplayedStreamAndGetsTheSameMessage(String scenario) throws Exception {
        script(scenario);
        Path request = request(scenario);

        JsonNode fresh = sdk(request, "stream");
        JsonNode replayed = sdk(request, "stream");
        JsonNode whole = sdk(request, "create");

        for (JsonNode result : List.of(fresh, replayed, whole)) {
            assertThat(result.path("ok").asBoolean()).as(result.toString()).isTrue();
        }
        assertThat(upstream.requests()).as("the upstream is asked once").hasSize(1);
        assertThat(replayed.path("message").path("content"))
                .isEqualTo(fresh.path("message").path("content"));
        assertThat(whole.path("message").path("content"))
                .isEqualTo(fresh.path("message").path("content"));
        assertThat(replayed.path("message").path("stop_reason"))
                .isEqualTo(fresh.path("message").path("stop_reason"));
        assertThat(replayed.path("message").path("usage"))
                .isEqualTo(fresh.path("message").path("usage"));
        assertThat(replayed.path("events").get(0).asText()).isEqualTo("message_start");
        assertThat(replayed.path("events")
                        .get(replayed.path("events").size() - 1)
                        .asText())
                .isEqualTo("message_stop");
    }

    /** The upstream answers every request with the scenario's golden OpenAI stream. */
    private void script(String scenario) throws Exception {
        String scripted = Files.readString(
                GOLDEN.resolve("openai").resolve(scenario).resolve("upstream-response.txt"), StandardCharsets.UTF_8);
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
            response.end(body);
        });
    }

    private static Path request(String scenario) throws Exception {
        ObjectNode request = (ObjectNode) Json.MAPPER.readTree(
                GOLDEN.resolve("requests").resolve(scenario + ".json").toFile());
        request.put("model", "openai,openai-model");
        Path file = Files.createTempFile("ccr-sdk", ".json");
        file.toFile().deleteOnExit();
        Files.writeString(file, Json.write(request));
        return file;
    }

    private JsonNode sdk(Path request, String mode) throws Exception {
        Node.Result result =
                Node.run(List.of("node", "sdk-check.mjs", router.baseUrl(), request.toString(), mode), Map.of(), 60);
        assertThat(result.exitCode()).as(result.stderr()).isZero();
        return Json.MAPPER.readTree(result.stdout());
    }
}
