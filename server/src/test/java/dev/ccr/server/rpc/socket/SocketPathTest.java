package dev.ccr.server.rpc.socket;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ccr.server.json.Json;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The socket path rule, on the examples the VS Code extension is checked against too. */
class SocketPathTest {
    @Test
    void agreesWithTheSharedExamples() throws Exception {
        JsonNode examples;
        try (InputStream in = getClass().getResourceAsStream("/editor-socket-paths.json")) {
            examples = Json.MAPPER.readTree(in).get("examples");
        }
        assertThat(examples).hasSizeGreaterThan(3);
        for (JsonNode example : examples) {
            Map<String, String> env = new HashMap<>();
            example.get("env")
                    .fields()
                    .forEachRemaining(e -> env.put(e.getKey(), e.getValue().asText()));
            Path socket = SocketPath.of(
                    Path.of(example.get("home").asText()),
                    Path.of(example.get("config").asText()),
                    env,
                    example.get("user").asText(),
                    false);
            assertThat(socket.toString())
                    .as(example.get("name").asText())
                    .isEqualTo(example.get("socket").asText());
        }
    }

    @Test
    void everyPathFitsInASocketAddress() {
        Path deep = Path.of("/home/dev/" + "a-rather-long-folder-name/".repeat(10) + ".claude-code-router");
        Path socket = SocketPath.of(deep, deep.resolve("config.json"), Map.of(), "dev", false);
        assertThat(socket.toString().length()).isLessThanOrEqualTo(SocketPath.MAX_LENGTH);
    }
}
