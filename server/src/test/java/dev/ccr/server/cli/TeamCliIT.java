package dev.ccr.server.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ccr.server.json.Json;
import dev.ccr.server.testing.AnthropicSse;
import dev.ccr.server.testing.CcrProcess;
import dev.ccr.server.testing.FakeUpstream;
import dev.ccr.server.testing.Http;
import dev.ccr.server.testing.RedisServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A team of two real routers (the jar, each with its own home, as on two machines) sharing a real Redis that needs a
 * password, read from the environment: {@code ccr status} says whether each instance shares its state, {@code ccr
 * stats} shows the team's totals (and this machine's with {@code --local}), and the password shows nowhere.
 */
class TeamCliIT {
    private static final String PASSWORD = "team-redis-password-0123";

    @TempDir
    Path homeA;

    @TempDir
    Path homeB;

    private final List<Process> routers = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (Process router : routers) {
            router.destroy();
            if (!router.waitFor(20, TimeUnit.SECONDS)) {
                router.destroyForcibly();
            }
        }
    }

    private static CcrProcess ccr(Path home) {
        return new CcrProcess(home, Map.of("REDIS_PASSWORD", PASSWORD));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private int start(Path home, String config) throws Exception {
        Files.writeString(Files.createDirectories(ccr(home).ccrHome()).resolve("config.json"), config);
        int port = freePort();
        Process router = ccr(home)
                .builder("start", "--port", String.valueOf(port))
                .redirectError(home.resolve("router.log").toFile())
                .start();
        routers.add(router);
        new BufferedReader(new InputStreamReader(router.getInputStream(), StandardCharsets.UTF_8)).readLine();
        return port;
    }

    private static JsonNode health(int port) throws Exception {
        return Json.MAPPER.readTree(
                Http.get("http://127.0.0.1:" + port + "/health", Map.of()).body());
    }

    @Test
    void statusAndStatsSpeakForTheTeam() throws Exception {
        try (RedisServer redis = RedisServer.start(List.of("--requirepass", PASSWORD));
                FakeUpstream upstream = FakeUpstream.start()) {
            upstream.respond((request, response) -> response.putHeader("content-type", "text/event-stream")
                    .end(AnthropicSse.joined(AnthropicSse.textAnswer("claude-haiku-4-5", 1000, "a", "b"))));
            String config =
                    """
                    {
                      "endpoints": [{"name": "main", "type": "anthropic", "baseUrl": "%s", "apiKey": "k-12345678"}],
                      "shared": {"redis": "redis://:${REDIS_PASSWORD}@127.0.0.1:%d", "timeoutMs": 1000}
                    }
                    """
                            .formatted(upstream.baseUrl(), redis.port());
            int portA = start(homeA, config);
            int portB = start(homeB, config);
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> "shared"
                                    .equals(health(portA)
                                            .path("shared")
                                            .path("state")
                                            .asText())
                            && "shared"
                                    .equals(health(portB)
                                            .path("shared")
                                            .path("state")
                                            .asText()));

            for (int i = 0; i < 5; i++) {
                int port = i < 2 ? portA : portB;
                assertThat(Http.post(
                                        "http://127.0.0.1:" + port + "/v1/messages",
                                        "{\"model\":\"claude-haiku-4-5\",\"stream\":true,\"messages\":[]}",
                                        Map.of("content-type", "application/json"))
                                .statusCode())
                        .isEqualTo(200);
            }

            CcrProcess.Result status = ccr(homeA).run(60, "status");
            assertThat(status.stdout())
                    .contains("shared:    redis://:***@127.0.0.1:" + redis.port()
                            + " (limits, budgets, breakers and cache shared with the team)")
                    .doesNotContain(PASSWORD);

            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofSeconds(1))
                    .until(() -> Json.MAPPER
                                    .readTree(ccr(homeB)
                                            .run(60, "stats", "--json")
                                            .stdout())
                                    .path("total")
                                    .path("requests")
                                    .asLong()
                            == 5);
            CcrProcess.Result team = ccr(homeB).run(60, "stats");
            assertThat(team.exitCode()).as(team.output()).isZero();
            assertThat(team.stdout())
                    .contains("Team totals from redis://:***@127.0.0.1:" + redis.port())
                    .contains("5 requests")
                    .contains("claude-haiku-4-5")
                    .contains("By client")
                    .doesNotContain(PASSWORD);
            await().atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofSeconds(1))
                    .until(() -> Json.MAPPER
                                    .readTree(ccr(homeB)
                                            .run(60, "stats", "--local", "--json")
                                            .stdout())
                                    .path("total")
                                    .path("requests")
                                    .asLong()
                            == 3);

            redis.kill();
            await().atMost(Duration.ofSeconds(30)).until(() -> "local"
                    .equals(health(portA).path("shared").path("state").asText()));
            CcrProcess.Result alone = ccr(homeA).run(60, "status");
            assertThat(alone.stdout()).contains("NOT shared").contains("limits are enforced by this instance alone");
            CcrProcess.Result fallback = ccr(homeA).run(60, "stats", "--json");
            assertThat(fallback.stderr())
                    .contains("cannot read the team's totals from redis://:***@127.0.0.1:" + redis.port())
                    .doesNotContain(PASSWORD);
        }
        for (Path home : List.of(homeA, homeB)) {
            assertThat(Files.readString(home.resolve("router.log")))
                    .as("the router's log")
                    .contains("team mode")
                    .doesNotContain(PASSWORD);
        }
    }
}
