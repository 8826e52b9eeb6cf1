package dev.ccr.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ccr.server.json.Json;
import dev.ccr.server.testing.CcrProcess;
import dev.ccr.server.testing.FakeUpstream;
import dev.ccr.server.testing.Http;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Someone who used claude-code-router installs ccr: the real jar, started on that project's config file where it
 * keeps it, then {@code ccr config check --json} and {@code ccr config migrate}.
 */
class ClaudeCodeRouterCliIT {
    private static final String ROUTER_KEY = "fake-router-secret-1234";

    @TempDir
    Path home;

    private Process foreground;

    @AfterEach
    void cleanUp() throws Exception {
        if (foreground != null && foreground.isAlive()) {
            foreground.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        new CcrProcess(home).run(30, "stop", "--all");
    }

    private CcrProcess ccr() {
        return new CcrProcess(home, Map.of("DEEPSEEK_API_KEY", "sk-fake-deepseek"));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private Path writeConfig(String text) throws IOException {
        Path config = ccr().ccrHome().resolve("config.json");
        Files.createDirectories(config.getParent());
        Files.writeString(config, text);
        return config;
    }

    private static String config(FakeUpstream upstream, int port) {
        return """
                {
                  // as claude-code-router's README writes it, with fake keys and a local upstream
                  "APIKEY": "%s",
                  "PORT": %d,
                  "LOG": true,
                  "Providers": [
                    {
                      "name": "deepseek",
                      "api_base_url": "http://127.0.0.1:%d/chat/completions",
                      "api_key": "$DEEPSEEK_API_KEY",
                      "models": ["deepseek-chat", "deepseek-reasoner"],
                      "transformer": { "use": ["deepseek"], "deepseek-chat": { "use": ["tooluse"] } },
                    },
                  ],
                  "Router": { "default": "deepseek,deepseek-chat", "think": "deepseek,deepseek-reasoner" },
                }
                """
                .formatted(ROUTER_KEY, port, upstream.port());
    }

    @Test
    void itStartsOnThatProjectsFileRoutesAsThereAndSaysOnceWhichFormatItRead() throws Exception {
        try (FakeUpstream upstream = FakeUpstream.start()) {
            upstream.respondWith(
                    200,
                    "application/json",
                    "{\"choices\":[{\"message\":{\"content\":\"hi from deepseek\"},\"finish_reason\":\"stop\"}],"
                            + "\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":4}}");
            int port = freePort();
            Path config = writeConfig(config(upstream, port));
            Path stderr = home.resolve("stderr.txt");
            foreground = ccr().builder("start").redirectError(stderr.toFile()).start();
            String firstLine = new BufferedReader(
                            new InputStreamReader(foreground.getInputStream(), StandardCharsets.UTF_8))
                    .readLine();
            assertThat(firstLine)
                    .as("PORT from the file")
                    .contains("listening on http://127.0.0.1:" + port)
                    .contains("default: deepseek");

            HttpResponse<String> response = Http.post(
                    "http://127.0.0.1:" + port + "/v1/messages",
                    "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":32000,\"messages\":[{\"role\":\"user\","
                            + "\"content\":\"hello\"}]}",
                    Map.of("content-type", "application/json", "authorization", "Bearer " + ROUTER_KEY));
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            assertThat(response.body()).contains("hi from deepseek");
            assertThat(upstream.lastRequest().path()).isEqualTo("/chat/completions");
            assertThat(upstream.lastRequest().header("authorization")).isEqualTo("Bearer sk-fake-deepseek");
            JsonNode sent = Json.MAPPER.readTree(upstream.lastRequest().bodyText());
            assertThat(sent.path("model").asText()).isEqualTo("deepseek-chat");
            assertThat(sent.path("max_tokens").asInt()).isEqualTo(8192);

            foreground.destroy();
            assertThat(foreground.waitFor(30, TimeUnit.SECONDS)).isTrue();
            String log = Files.readString(stderr);
            assertThat(log.split("read in claude-code-router's format", -1))
                    .as("said once:\n" + log)
                    .hasSize(2);
            assertThat(log)
                    .contains(config + ":12:72: $.Providers[0].transformer['deepseek-chat'].use[0]: transformer"
                            + " \"tooluse\" is not honoured")
                    .doesNotContain("sk-fake-deepseek")
                    .doesNotContain(ROUTER_KEY);
        }
    }

    @Test
    void checkJsonLocatesProblemsAndSummarisesAndMigrateRoundTrips() throws Exception {
        try (FakeUpstream upstream = FakeUpstream.start()) {
            int port = freePort();
            Path config = writeConfig(config(upstream, port).replace("\"deepseek,deepseek-reasoner\"", "\"nobody,x\""));

            CcrProcess.Result invalid = ccr().run(30, "config", "check", "--json");
            assertThat(invalid.exitCode()).isEqualTo(1);
            JsonNode report = Json.MAPPER.readTree(invalid.stdout());
            assertThat(report.path("format").asText()).isEqualTo("claude-code-router");
            assertThat(report.path("valid").asBoolean()).isFalse();
            assertThat(report.path("summary").isNull()).isTrue();
            JsonNode problem = report.path("problems").get(0);
            assertThat(problem.path("severity").asText()).isEqualTo("error");
            assertThat(problem.path("file").asText()).isEqualTo(config.toString());
            assertThat(problem.path("line").asInt()).isEqualTo(15);
            assertThat(problem.path("column").asInt()).isEqualTo(52);
            assertThat(problem.path("path").asText()).isEqualTo("$.Router.think");
            assertThat(problem.path("message").asText()).startsWith("no endpoint is named \"nobody\"");

            CcrProcess.Result refused = ccr().run(30, "config", "migrate");
            assertThat(refused.exitCode()).isEqualTo(1);
            assertThat(refused.stderr()).contains("fix them first").contains("$.Router.think");

            String original = config(upstream, port);
            writeConfig(original);
            CcrProcess.Result valid = ccr().run(30, "config", "check", "--json");
            assertThat(valid.exitCode()).as(valid.stderr()).isZero();
            JsonNode summary = Json.MAPPER.readTree(valid.stdout()).path("summary");
            assertThat(summary.path("port").asInt()).isEqualTo(port);
            assertThat(summary.path("endpoints").get(0).path("name").asText()).isEqualTo("deepseek");
            assertThat(summary.path("endpoints").get(0).path("key").asText()).isEqualTo("set");
            assertThat(summary.path("routes")
                            .path("think")
                            .path("targets")
                            .get(0)
                            .asText())
                    .isEqualTo("deepseek,deepseek-reasoner");
            assertThat(summary.path("tokens").get(0).asText()).isEqualTo("APIKEY");
            assertThat(valid.stdout()).doesNotContain("sk-fake-deepseek").doesNotContain(ROUTER_KEY);

            CcrProcess.Result migrated = ccr().run(30, "config", "migrate");
            assertThat(migrated.exitCode()).as(migrated.stderr()).isZero();
            assertThat(migrated.stdout())
                    .contains("Providers[0] deepseek")
                    .contains("routes.think: deepseek,deepseek-reasoner")
                    .contains("transformer \"tooluse\" is not honoured");
            assertThat(Files.readString(config.resolveSibling("config.claude-code-router.json")))
                    .isEqualTo(original);
            JsonNode after = Json.MAPPER.readTree(
                    ccr().run(30, "config", "check", "--json").stdout());
            assertThat(after.path("format").asText()).isEqualTo("ccr");
            assertThat(after.path("summary")).isEqualTo(summary);

            CcrProcess.Result again = ccr().run(30, "config", "migrate");
            assertThat(again.exitCode()).isEqualTo(1);
            assertThat(again.stderr()).contains("already in ccr's format");
        }
    }
}
