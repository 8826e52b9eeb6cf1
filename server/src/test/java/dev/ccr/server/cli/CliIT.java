package dev.ccr.server.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ccr.server.testing.AnthropicSse;
import dev.ccr.server.testing.CcrProcess;
import dev.ccr.server.testing.FakeKeys;
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
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code ccr} command as users run it: the real shaded jar in a child process, in a throw-away home. */
class CliIT {
    @TempDir
    Path home;

    private Process foreground;

    @AfterEach
    void cleanUp() throws Exception {
        if (foreground != null && foreground.isAlive()) {
            foreground.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        // Whatever a test left running in the background goes too.
        new CcrProcess(home).run(30, "stop", "--all");
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
    void versionAndHelp() throws Exception {
        CcrProcess.Result version = ccr().run(30, "--version");
        assertThat(version.exitCode()).isZero();
        assertThat(version.stdout().strip()).matches("ccr \\d+\\.\\d+\\.\\d+.*");

        CcrProcess.Result help = ccr().run(30, "start", "--help");
        assertThat(help.exitCode()).isZero();
        assertThat(help.stdout()).contains("--config", "--port", "--host", "--debug", "--daemon");
    }

    @Test
    void badUsageIsOneClearLineAndExitStatus2() throws Exception {
        CcrProcess.Result unknownFlag = ccr().run(30, "start", "--prot", "3000");
        assertThat(unknownFlag.exitCode()).isEqualTo(2);
        assertThat(unknownFlag.stderr().strip().lines()).singleElement().satisfies(line -> assertThat(line)
                .contains("Unknown option")
                .contains("--prot")
                .contains("ccr start --help"));

        CcrProcess.Result badValue = ccr().run(30, "start", "--port", "abc");
        assertThat(badValue.exitCode()).isEqualTo(2);
        assertThat(badValue.stderr().strip().lines()).singleElement().satisfies(line -> assertThat(line)
                .contains("'abc' is not an int"));

        CcrProcess.Result outOfRange = ccr().run(30, "start", "--port", "70000");
        assertThat(outOfRange.exitCode()).isEqualTo(2);
        assertThat(outOfRange.stderr()).contains("--port must be between 0 and 65535");

        CcrProcess.Result unknownCommand = ccr().run(30, "strat");
        assertThat(unknownCommand.exitCode()).isEqualTo(2);
        assertThat(unknownCommand.stderr()).contains("strat");
    }

    @Test
    void aBrokenConfigStopsTheStartWithItsLocation() throws Exception {
        Path config = ccr().ccrHome().resolve("config.json");
        Files.createDirectories(config.getParent());
        Files.writeString(
                config,
                "{\n  \"port\": 3000,\n  \"endpoints\": [ {\"name\": \"a\", \"type\": \"opneai\","
                        + " \"baseUrl\": \"https://x.example/v1\"} ]\n}\n");
        CcrProcess.Result result = ccr().run(30, "start", "--port", "0");
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.stderr())
                .contains(config + ":3:")
                .contains("$.endpoints[0].type: \"opneai\" is not allowed; allowed: anthropic, openai, gemini, custom");

        CcrProcess.Result check = ccr().run(30, "config", "check");
        assertThat(check.exitCode()).isEqualTo(1);
        assertThat(check.stderr()).contains("\"opneai\" is not allowed");
    }

    @Test
    void withoutAConfigItStartsOnDefaultsAndSaysWhereTheFileWouldGo() throws Exception {
        int port = freePort();
        foreground = ccr().builder("start", "--port", String.valueOf(port))
                .redirectError(ProcessBuilder.Redirect.PIPE)
                .start();
        String firstLine = new BufferedReader(
                        new InputStreamReader(foreground.getInputStream(), StandardCharsets.UTF_8))
                .readLine();
        assertThat(firstLine).contains("listening on http://127.0.0.1:" + port).contains("endpoints: anthropic");
        String warning = new BufferedReader(new InputStreamReader(foreground.getErrorStream(), StandardCharsets.UTF_8))
                .readLine();
        assertThat(warning)
                .contains("no config file at " + ccr().ccrHome().resolve("config.json"))
                .contains("running on defaults");

        CcrProcess.Result status = ccr().run(30, "status");
        assertThat(status.exitCode()).isZero();
        assertThat(status.stdout())
                .contains("running on http://127.0.0.1:" + port + " (responding)")
                .contains("pid:       " + foreground.pid())
                .contains("uptime:")
                .contains("endpoints: anthropic (default)");

        CcrProcess.Result env = ccr().run(30, "env");
        assertThat(env.stdout()).contains("export ANTHROPIC_BASE_URL='http://127.0.0.1:" + port + "'");
        assertThat(env.stdout()).contains("export ANTHROPIC_AUTH_TOKEN=");

        CcrProcess.Result stop = ccr().run(30, "stop");
        assertThat(stop.exitCode()).isZero();
        assertThat(stop.stdout()).contains("stopped ccr (pid " + foreground.pid() + ")");
        assertThat(foreground.waitFor(10, TimeUnit.SECONDS)).isTrue();

        CcrProcess.Result after = ccr().run(30, "status");
        assertThat(after.exitCode()).as("LSB: 3 means not running").isEqualTo(3);
        assertThat(after.stdout()).contains("ccr is not running");
        assertThat(ccr().ccrHome().resolve("run")).isEmptyDirectory();
    }

    @Test
    void aPortInUseIsNamedWithTheWayOut() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CcrProcess.Result result = ccr().run(30, "start", "--port", String.valueOf(taken.getLocalPort()));
            assertThat(result.exitCode()).isEqualTo(1);
            assertThat(result.stderr())
                    .contains("port " + taken.getLocalPort() + " on 127.0.0.1 is already in use")
                    .contains("--port");
        }
    }

    @Test
    void daemonModeStartsInTheBackgroundAndStopStopsItWithoutLoggingKeys() throws Exception {
        try (FakeUpstream upstream = FakeUpstream.start().respondWith(200, "application/json", "{}")) {
            String endpointKey = FakeKeys.anthropic("endpoint-secret-0123456789");
            String clientKey = FakeKeys.anthropic("client-secret-9876543210");
            Path config = Files.createDirectories(ccr().ccrHome()).resolve("config.json");
            Files.writeString(
                    config,
                    """
                    {"endpoints": [{"name": "a", "type": "anthropic", "baseUrl": "%s", "apiKey": "%s"}]}"""
                            .formatted(upstream.baseUrl(), endpointKey));
            int port = freePort();
            CcrProcess.Result started = ccr().run(60, "start", "--daemon", "--debug", "--port", String.valueOf(port));
            assertThat(started.exitCode()).as(started.output()).isZero();
            assertThat(started.stdout()).contains("started in the background").contains("http://127.0.0.1:" + port);
            HttpResponse<String> response = Http.post(
                    "http://127.0.0.1:" + port + "/v1/messages",
                    "{\"model\":\"m\"}",
                    Map.of("x-api-key", clientKey, "authorization", "Bearer " + clientKey));
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(upstream.lastRequest().header("x-api-key")).isEqualTo(endpointKey);

            CcrProcess.Result again = ccr().run(60, "start", "--daemon", "--port", String.valueOf(port));
            assertThat(again.exitCode()).isZero();
            assertThat(again.stdout()).contains("already running");

            CcrProcess.Result stop = ccr().run(30, "stop", "--port", String.valueOf(port));
            assertThat(stop.exitCode()).isZero();
            assertThat(ccr().run(30, "status").exitCode()).isEqualTo(3);

            String log = Files.readString(ccr().ccrHome().resolve("logs/ccr-" + port + ".log"));
            assertThat(log).contains("listening on").contains("model=m");
            assertThat(log).doesNotContain(endpointKey).doesNotContain(clientKey);
        }
    }

    @Test
    void sigtermLetsTheRequestInFlightFinishThenExits() throws Exception {
        try (FakeUpstream upstream = FakeUpstream.start()) {
            List<String> frames = AnthropicSse.textAnswer("m", 5, "draining");
            CompletableFuture<Void> release = new CompletableFuture<>();
            upstream.respond((request, response) -> {
                response.setChunked(true).putHeader("content-type", "text/event-stream");
                response.write(frames.get(0));
                release.thenRun(() -> upstream.vertx().runOnContext(v -> {
                    frames.subList(1, frames.size()).forEach(response::write);
                    response.end();
                }));
            });
            Path config = Files.createDirectories(ccr().ccrHome()).resolve("config.json");
            Files.writeString(
                    config,
                    """
                    {"endpoints": [{"name": "a", "type": "anthropic", "baseUrl": "%s", "apiKey": "k-123456"}]}"""
                            .formatted(upstream.baseUrl()));
            int port = freePort();
            foreground = ccr().builder("start", "--port", String.valueOf(port)).start();
            new BufferedReader(new InputStreamReader(foreground.getInputStream(), StandardCharsets.UTF_8)).readLine();

            CompletableFuture<HttpResponse<String>> inFlight = CompletableFuture.supplyAsync(() -> Http.post(
                    "http://127.0.0.1:" + port + "/v1/messages", "{\"model\":\"m\",\"stream\":true}", Map.of()));
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> upstream.requests().size() == 1);

            foreground.destroy(); // SIGTERM
            Thread.sleep(300);
            assertThat(foreground.isAlive())
                    .as("waits for the request in flight")
                    .isTrue();
            release.complete(null);

            assertThat(inFlight.get(10, TimeUnit.SECONDS).body()).isEqualTo(String.join("", frames));
            assertThat(foreground.waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThat(ccr().ccrHome().resolve("run")).isEmptyDirectory();
        }
    }
}
