package dev.ccr.server.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ccr.server.json.Json;
import dev.ccr.server.testing.AnthropicSse;
import dev.ccr.server.testing.CcrProcess;
import dev.ccr.server.testing.FakeUpstream;
import dev.ccr.server.testing.Http;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ccr stats} and {@code ccr logs} on the real jar, reading what a real router (also the jar) recorded before it
 * was stopped: the usage database and the request log outlive the process.
 */
class StatsAndLogsIT {
    private static final String SESSION = "0f7c2a9e-1111-4b2c-8d3e-abcdefabcdef";

    @TempDir
    Path home;

    private Process router;
    private Process follower;

    @AfterEach
    void cleanUp() throws Exception {
        for (Process p : new Process[] {router, follower}) {
            if (p != null && p.isAlive()) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    private CcrProcess ccr() {
        return new CcrProcess(home);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    @Test
    void statsAndLogsReadWhatAStoppedRouterRecorded() throws Exception {
        int port = freePort();
        try (FakeUpstream upstream = FakeUpstream.start()) {
            upstream.respond((request, response) -> {
                if (request.bodyText().contains("\"fail\"")) {
                    response.setStatusCode(429)
                            .putHeader("content-type", "application/json")
                            .end("{\"type\":\"error\",\"error\":{\"type\":\"rate_limit_error\",\"message\":\"slow\"}}");
                    return;
                }
                response.putHeader("content-type", "text/event-stream")
                        .end(AnthropicSse.joined(AnthropicSse.textAnswer("claude-haiku-4-5", 2000, "a", "b")));
            });
            Path config = Files.createDirectories(ccr().ccrHome()).resolve("config.json");
            Files.writeString(
                    config,
                    """
                    {"endpoints": [{"name": "main", "type": "anthropic", "baseUrl": "%s", "apiKey": "k-12345678"}]}"""
                            .formatted(upstream.baseUrl()));
            router = ccr().builder("start", "--port", String.valueOf(port)).start();
            new BufferedReader(new InputStreamReader(router.getInputStream(), StandardCharsets.UTF_8)).readLine();

            Map<String, String> headers = Map.of("x-claude-code-session-id", SESSION);
            String url = "http://127.0.0.1:" + port + "/v1/messages";
            assertThat(Http.post(url, "{\"model\":\"claude-haiku-4-5\",\"stream\":true}", headers)
                            .statusCode())
                    .isEqualTo(200);
            assertThat(Http.post(url, "{\"model\":\"claude-haiku-4-5\",\"stream\":true,\"metadata\":\"fail\"}", headers)
                            .statusCode())
                    .isEqualTo(429);

            router.destroy(); // SIGTERM: what was recorded is written out before the process ends
            assertThat(router.waitFor(20, TimeUnit.SECONDS)).isTrue();
        }

        CcrProcess.Result json = ccr().run(60, "stats", "--json");
        assertThat(json.exitCode()).as(json.output()).isZero();
        JsonNode stats = Json.MAPPER.readTree(json.stdout());
        assertThat(stats.path("total").path("requests").asLong()).isEqualTo(2);
        assertThat(stats.path("total").path("errors").asLong()).isEqualTo(1);
        assertThat(stats.path("total").path("inputTokens").asLong()).isEqualTo(2000);
        // Claude Haiku 4.5: $1 input, $5 output per million; the answer reported 3 output tokens.
        assertThat(stats.path("total").path("costUsd").asDouble()).isCloseTo((2000 * 1 + 3 * 5) / 1e6, within(1e-9));
        assertThat(stats.path("byModel").get(0).path("name").asText()).isEqualTo("claude-haiku-4-5");
        assertThat(stats.path("byEndpoint").get(0).path("name").asText()).isEqualTo("main");
        assertThat(stats.path("bySession").get(0).path("name").asText()).isEqualTo(SESSION);

        CcrProcess.Result text = ccr().run(60, "stats");
        assertThat(text.exitCode()).isZero();
        assertThat(text.stdout())
                .contains("Usage today")
                .contains("2 requests (1 failed)")
                .contains("claude-haiku-4-5")
                .contains(SESSION)
                .contains("$0.0020");

        CcrProcess.Result session = ccr().run(60, "stats", "--session", SESSION.substring(0, 8), "--json");
        assertThat(Json.MAPPER
                        .readTree(session.stdout())
                        .path("total")
                        .path("requests")
                        .asLong())
                .isEqualTo(2);

        CcrProcess.Result logs = ccr().run(60, "logs", "-n", "10");
        assertThat(logs.exitCode()).as(logs.output()).isZero();
        List<String> lines = logs.stdout().strip().lines().toList();
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).contains(" 200 ", "main claude-haiku-4-5", "session 0f7c2a9e", "$0.0020");
        assertThat(lines.get(1)).contains(" 429 rate_limit_error ");

        CcrProcess.Result failed = ccr().run(60, "logs", "--status", "4xx", "--json");
        List<String> failedLines = failed.stdout().strip().lines().toList();
        assertThat(failedLines).singleElement().satisfies(line -> assertThat(
                        Json.MAPPER.readTree(line).path("status").asInt())
                .isEqualTo(429));
        assertThat(ccr().run(60, "logs", "--session", "nobody").stdout()).isEmpty();
        assertThat(ccr().run(60, "logs", "--status", "teapot").exitCode()).isEqualTo(2);

        // --follow prints lines as they are appended.
        follower = ccr().builder("logs", "--follow", "-n", "0", "--port", String.valueOf(port))
                .start();
        BufferedReader followed =
                new BufferedReader(new InputStreamReader(follower.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<String> next = CompletableFuture.supplyAsync(() -> {
            try {
                return followed.readLine();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        Path log = ccr().ccrHome().resolve("logs").resolve("requests-" + port + ".jsonl");
        String appended = Files.readAllLines(log).get(0).replace("\"status\":200", "\"status\":201");
        // The follower starts at the end of the file; it says so on stderr once it has found it.
        String ready =
                new BufferedReader(new InputStreamReader(follower.getErrorStream(), StandardCharsets.UTF_8)).readLine();
        assertThat(ready).contains("following").contains(log.toString());
        Files.writeString(log, appended + "\n", StandardOpenOption.APPEND);
        assertThat(next.get(20, TimeUnit.SECONDS)).contains(" 201 ");
    }
}
