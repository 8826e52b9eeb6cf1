package dev.ccr.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ccr.server.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ccr claude enable|disable|status} as users run it: the shaded jar, its environment, its files. */
class ClaudeCommandIT {
    @TempDir
    Path home;

    private Path project;

    record Result(int status, String out, String err) {}

    @BeforeEach
    void setUp() throws IOException {
        project = home.resolve("project");
        Files.createDirectories(project);
        Files.createDirectories(home.resolve(".claude-code-router"));
        Files.writeString(
                home.resolve(".claude-code-router/config.json"),
                "{\"port\": 3456, \"endpoints\": [{\"name\": \"anthropic\", \"type\": \"anthropic\","
                        + " \"baseUrl\": \"https://api.anthropic.com/v1\"}]}");
    }

    private Result ccr(Map<String, String> environment, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                System.getProperty("ccr.jar")));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(project.toFile());
        builder.environment().put("HOME", home.toString());
        builder.environment().remove("CCR_HOME");
        builder.environment().remove("CLAUDE_CONFIG_DIR");
        builder.environment().putAll(environment);
        Process process = builder.start();
        byte[] out = process.getInputStream().readAllBytes();
        byte[] err = process.getErrorStream().readAllBytes();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return new Result(
                process.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
    }

    private Result ccr(String... args) throws Exception {
        return ccr(Map.of(), args);
    }

    @Test
    void enableStatusDisableRoundTripRestoresTheFileExactly() throws Exception {
        Path settings = home.resolve(".claude/settings.json");
        Files.createDirectories(settings.getParent());
        String original = "{\n  \"model\": \"opus\",\n  \"env\": {\n    \"DISABLE_TELEMETRY\": \"1\"\n  }\n}\n";
        Files.writeString(settings, original);

        Result enabled = ccr("claude", "enable", "--haiku-model", "glm,glm-4.5-air", "--no-statusline");

        assertThat(enabled.status()).as(enabled.err()).isZero();
        assertThat(enabled.out())
                .startsWith("routing on: Claude Code now uses http://127.0.0.1:3456")
                .contains("settings:  " + settings)
                .contains("ANTHROPIC_BASE_URL              http://127.0.0.1:3456  (set by ccr)")
                .contains("ANTHROPIC_AUTH_TOKEN            ***  (set by ccr)")
                .contains("warning: Claude Code is routed to http://127.0.0.1:3456, but no router answers there");
        assertThat(Files.readString(settings))
                .isEqualTo("{\n  \"model\": \"opus\",\n  \"env\": {\n    \"DISABLE_TELEMETRY\": \"1\",\n"
                        + "    \"ANTHROPIC_BASE_URL\": \"http://127.0.0.1:3456\",\n"
                        + "    \"ANTHROPIC_AUTH_TOKEN\": \"ccr\",\n"
                        + "    \"ANTHROPIC_DEFAULT_HAIKU_MODEL\": \"glm,glm-4.5-air\",\n"
                        // the default config's one Anthropic endpoint: the hints, and what a gateway turns off
                        + "    \"CLAUDE_CODE_GATEWAY_HINT_HEADERS\": \"1\",\n"
                        + "    \"ENABLE_TOOL_SEARCH\": \"true\",\n"
                        + "    \"CLAUDE_CODE_ENABLE_FINE_GRAINED_TOOL_STREAMING\": \"1\"\n  }\n}\n");

        Result status = ccr("claude", "status", "--json");
        assertThat(status.status())
                .as("routed to a router that does not answer")
                .isEqualTo(3);
        JsonNode json = Json.MAPPER.readTree(status.out());
        assertThat(json.get("enabled").asBoolean()).isTrue();
        assertThat(json.get("routerBaseUrl").asText()).isEqualTo("http://127.0.0.1:3456");

        Result disabled = ccr("claude", "disable");
        assertThat(disabled.status()).isZero();
        assertThat(disabled.out())
                .startsWith("routing off: restored ANTHROPIC_BASE_URL, ANTHROPIC_AUTH_TOKEN,"
                        + " ANTHROPIC_DEFAULT_HAIKU_MODEL, CLAUDE_CODE_GATEWAY_HINT_HEADERS, ENABLE_TOOL_SEARCH,"
                        + " CLAUDE_CODE_ENABLE_FINE_GRAINED_TOOL_STREAMING");
        assertThat(Files.readString(settings)).isEqualTo(original);
    }

    @Test
    void statusWarnsWhenClaudeCodeIsRoutedToARouterThatDoesNotAnswerAndSaysHowToFixIt() throws Exception {
        int port;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Files.writeString(
                home.resolve(".claude-code-router/config.json"),
                "{\"port\": " + port + ", \"endpoints\": [{\"name\": \"anthropic\", \"type\": \"anthropic\","
                        + " \"baseUrl\": \"https://api.anthropic.com/v1\"}]}");
        assertThat(ccr("claude", "enable").status()).isZero();
        ProcessBuilder router = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-jar",
                        System.getProperty("ccr.jar"),
                        "start")
                .redirectErrorStream(true)
                .redirectOutput(home.resolve("router.log").toFile())
                .directory(project.toFile());
        router.environment().put("HOME", home.toString());
        router.environment().remove("CCR_HOME");
        router.environment().remove("CLAUDE_CONFIG_DIR");
        Process running = router.start();
        try {
            String url = "http://127.0.0.1:" + port;
            org.awaitility.Awaitility.await()
                    .atMost(java.time.Duration.ofSeconds(60))
                    .ignoreExceptions()
                    .until(() -> dev.ccr.server.testing.Http.get(url + "/health", Map.of())
                                    .statusCode()
                            == 200);

            Result served = ccr("claude", "status");
            assertThat(served.status()).as(served.out()).isZero();
            assertThat(served.out()).doesNotContain("warning");

            running.destroy();
            assertThat(running.waitFor(30, TimeUnit.SECONDS)).isTrue();
            Result orphaned = ccr("claude", "status");
            assertThat(orphaned.status()).isEqualTo(3);
            assertThat(orphaned.out())
                    .contains("warning: Claude Code is routed to " + url + ", but no router answers there, so every"
                            + " claude request fails. Fix it with one of:")
                    .contains("ccr start --daemon")
                    .contains("ccr service install")
                    .contains("ccr claude disable");
        } finally {
            running.destroyForcibly();
        }
    }

    @Test
    void claudeConfigDirIsWhereTheSettingsAre() throws Exception {
        Path dir = home.resolve("elsewhere");
        Result enabled = ccr(Map.of("CLAUDE_CONFIG_DIR", dir.toString()), "claude", "enable");
        assertThat(enabled.status()).as(enabled.err()).isZero();
        assertThat(Files.readString(dir.resolve("settings.json"))).contains("ANTHROPIC_BASE_URL");
        assertThat(home.resolve(".claude/settings.json")).doesNotExist();
    }

    @Test
    void aProjectFileThatWinsIsReported() throws Exception {
        Files.createDirectories(project.resolve(".claude"));
        Files.writeString(
                project.resolve(".claude/settings.local.json"),
                "{\"env\": {\"ANTHROPIC_BASE_URL\": \"https://old-proxy.example.com\"}}");
        Result status = ccr("claude", "enable");
        assertThat(status.status()).isZero();
        assertThat(status.out())
                .contains("override:  " + project.resolve(".claude/settings.local.json")
                        + " sets ANTHROPIC_BASE_URL to another value, which wins there");
    }

    @Test
    void anUnparsableFileIsRefusedAndLeftAlone() throws Exception {
        Path settings = home.resolve(".claude/settings.json");
        Files.createDirectories(settings.getParent());
        Files.writeString(settings, "{\"env\": {\"A\": 1,}}");
        Result result = ccr("claude", "enable");
        assertThat(result.status()).isEqualTo(1);
        assertThat(result.err())
                .isEqualTo("ccr: " + settings + ":1:17: not valid JSON (expected a member name in double quotes, found"
                        + " '}'); fix the file and try again; it was not changed\n");
        assertThat(Files.readString(settings)).isEqualTo("{\"env\": {\"A\": 1,}}");
    }
}
