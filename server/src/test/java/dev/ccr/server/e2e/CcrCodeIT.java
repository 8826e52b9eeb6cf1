package dev.ccr.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ccr.server.testing.CcrProcess;
import dev.ccr.server.testing.ClaudeCli;
import dev.ccr.server.testing.FakeKeys;
import dev.ccr.server.testing.FakeUpstream;
import dev.ccr.server.testing.ScriptedAnthropic;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ccr code}: starts the router when needed and runs the real Claude Code CLI pointed at it. */
class CcrCodeIT {
    @TempDir
    Path home;

    @Test
    void ccrCodeStartsTheRouterAndRunsClaudeThroughIt() throws Exception {
        try (FakeUpstream upstream = FakeUpstream.start().respond(new ScriptedAnthropic())) {
            Path config =
                    Files.createDirectories(home.resolve(".claude-code-router")).resolve("config.json");
            Files.writeString(
                    config,
                    """
                    {"port": 0, "endpoints": [{"name": "a", "type": "anthropic", "baseUrl": "%s",
                      "apiKey": "%s"}]}"""
                            .formatted(upstream.baseUrl(), FakeKeys.anthropic("endpoint-123")));
            int port;
            try (var socket = new java.net.ServerSocket(0)) {
                port = socket.getLocalPort();
            }
            Map<String, String> environment = new java.util.HashMap<>(ClaudeCli.environment(home, "unused", "unused"));
            environment.remove("ANTHROPIC_BASE_URL");
            environment.remove("ANTHROPIC_AUTH_TOKEN");
            environment.put(
                    "CCR_CLAUDE", ClaudeCli.executable().toAbsolutePath().toString());
            CcrProcess ccr = new CcrProcess(home, environment);
            try {
                CcrProcess.Result run =
                        ccr.run(240, "code", "--port", String.valueOf(port), "-p", "say hi", "--output-format", "json");

                assertThat(run.exitCode()).as(run.output()).isZero();
                assertThat(run.stderr()).contains("starting the router in the background");
                assertThat(run.stdout()).contains("Hello from the scripted upstream.");
                assertThat(upstream.requests()).isNotEmpty().allSatisfy(request -> assertThat(
                                request.header("x-api-key"))
                        .isEqualTo(FakeKeys.anthropic("endpoint-123")));
                // ccr code turns Claude Code's request-class hints on, and, the default route being all Anthropic,
                // what Claude Code turns off behind a gateway: fine-grained tool streaming, tool search.
                var messages = upstream.requests().stream()
                        .filter(r -> r.path().equals("/v1/messages"))
                        .toList();
                assertThat(messages).isNotEmpty().allSatisfy(request -> {
                    assertThat(request.header("x-claude-code-request-class")).isEqualTo("main");
                    assertThat(request.bodyText()).contains("\"eager_input_streaming\":true");
                    assertThat(request.header("anthropic-beta")).contains("advanced-tool-use");
                });
                assertThat(ccr.run(30, "status").stdout()).contains("http://127.0.0.1:" + port);
            } finally {
                ccr.run(30, "stop", "--all");
            }
        }
    }
}
