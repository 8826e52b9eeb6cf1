package dev.ccr.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ccr.server.testing.CcrProcess;
import dev.ccr.server.testing.FakeKeys;
import dev.ccr.server.testing.FakeUpstream;
import dev.ccr.server.testing.Http;
import dev.ccr.server.testing.ScriptedAnthropic;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ccr statusline} as Claude Code runs it: the session JSON on stdin, one line out, from the running router's
 * live stats; a sensible line and exit 0 when no router runs.
 */
class StatuslineIT {
    private static final String SESSION = "0f1e2d3c-4b5a-6978-8695-a4b3c2d1e0f9";

    @TempDir
    Path home;

    /** Runs {@code ccr statusline} with this session JSON on stdin. */
    private static String statusline(CcrProcess ccr, String sessionJson) throws Exception {
        Path in = Files.createTempFile("ccr-statusline", ".json");
        Files.writeString(in, sessionJson, StandardCharsets.UTF_8);
        Path out = Files.createTempFile("ccr-statusline", ".out");
        Process process = ccr.builder("statusline")
                .redirectInput(in.toFile())
                .redirectOutput(out.toFile())
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isZero();
        return Files.readString(out, StandardCharsets.UTF_8);
    }

    @Test
    void withoutARouterItSaysSo() throws Exception {
        CcrProcess ccr = new CcrProcess(home);
        assertThat(statusline(ccr, "{\"session_id\":\"" + SESSION + "\"}")).isEqualTo("ccr: not running (ccr start)\n");
    }

    @Test
    void itShowsTheSessionsEndpointModelTokensAndCost() throws Exception {
        try (FakeUpstream upstream = FakeUpstream.start().respond(new ScriptedAnthropic())) {
            Path config =
                    Files.createDirectories(home.resolve(".claude-code-router")).resolve("config.json");
            int port;
            try (var socket = new java.net.ServerSocket(0)) {
                port = socket.getLocalPort();
            }
            Files.writeString(
                    config,
                    """
                    {"port": %d, "endpoints": [{"name": "anthropic", "type": "anthropic", "baseUrl": "%s",
                      "apiKey": "%s"}]}"""
                            .formatted(port, upstream.baseUrl(), FakeKeys.anthropic("statusline-key")));
            CcrProcess ccr = new CcrProcess(home);
            try {
                assertThat(ccr.run(60, "start", "--daemon").exitCode()).isZero();
                // A router just started answers its first request slowly on a loaded machine; the status line is
                // meant for one that runs, so the test waits for it to answer once.
                assertThat(Http.get("http://127.0.0.1:" + port + "/health", Map.of())
                                .statusCode())
                        .isEqualTo(200);
                assertThat(statusline(ccr, "{\"session_id\":\"" + SESSION + "\"}"))
                        .isEqualTo("ccr → anthropic · no requests yet\n");

                var answer = Http.post(
                        "http://127.0.0.1:" + port + "/v1/messages",
                        "{\"model\":\"claude-opus-5-5\",\"max_tokens\":10,\"messages\":[{\"role\":\"user\","
                                + "\"content\":\"hi\"}]}",
                        Map.of(
                                "content-type", "application/json",
                                "x-claude-code-session-id", SESSION,
                                "authorization", "Bearer ccr"));
                assertThat(answer.statusCode()).isEqualTo(200);

                // Claude Code's session JSON carries more than the id; only the id matters.
                String line = "";
                for (int i = 0; i < 50 && !line.contains("claude-opus-5-5"); i++) {
                    line = statusline(
                            ccr,
                            "{\"session_id\":\"" + SESSION + "\",\"model\":{\"id\":\"claude-opus-5-5\","
                                    + "\"display_name\":\"Opus 5.5\"},\"workspace\":{\"current_dir\":\"/tmp\"}}");
                }
                // ScriptedAnthropic reports 25 input and 12 output tokens: 25 x $4 + 12 x $20 per million.
                assertThat(line).isEqualTo("ccr → anthropic · claude-opus-5-5 · 25 in / 12 out · $0.0003\n");
                long started = System.nanoTime();
                statusline(ccr, "{\"session_id\":\"" + SESSION + "\"}");
                System.out.println("ccr statusline took " + (System.nanoTime() - started) / 1_000_000 + " ms");
            } finally {
                ccr.run(30, "stop", "--all");
            }
        }
    }
}
