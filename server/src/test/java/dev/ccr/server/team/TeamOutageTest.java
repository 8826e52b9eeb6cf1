package dev.ccr.server.team;

import static dev.ccr.server.team.TeamLimitsTest.MESSAGE;
import static dev.ccr.server.team.TeamLimitsTest.REQUEST;
import static dev.ccr.server.testing.TeamFixture.TOKEN_A;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import com.fasterxml.jackson.databind.JsonNode;
import dev.ccr.server.json.Json;
import dev.ccr.server.testing.FakeUpstream;
import dev.ccr.server.testing.Http;
import dev.ccr.server.testing.LogCapture;
import dev.ccr.server.testing.TeamFixture;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Redis gone or stalled: every instance keeps answering on its own state (each enforcing the limits alone), says so
 * in {@code /health}, and goes back to the shared state once Redis is back.
 */
class TeamOutageTest {
    private final FakeUpstream upstream = FakeUpstream.start().respondWith(200, "application/json", MESSAGE);
    private TeamFixture team;

    @AfterEach
    void stop() {
        if (team != null) {
            team.close();
        }
        upstream.close();
    }

    private void start(int timeoutMs) {
        start(timeoutMs, 4);
    }

    private void start(int timeoutMs, int requestsPerMinute) {
        team = TeamFixture.start(
                3,
                """
                {
                  "auth": {"tokens": [{"name": "team-a", "token": "%s"}]},
                  "endpoints": [{"name": "a", "type": "anthropic", "baseUrl": "%s", "apiKey": "ka-0123456789"}],
                  "limits": {"tokens": {"team-a": {"requestsPerMinute": %d}}},
                  "shared": {"redis": "%%REDIS%%", "timeoutMs": %d}
                }
                """
                        .formatted(TOKEN_A, upstream.baseUrl(), requestsPerMinute, timeoutMs));
    }

    private int admitted(int requests) {
        int ok = 0;
        for (int i = 0; i < requests; i++) {
            HttpResponse<String> response = team.send(TOKEN_A, REQUEST);
            assertThat(response.statusCode()).isIn(200, 429);
            if (response.statusCode() == 200) {
                ok++;
            }
        }
        return ok;
    }

    private JsonNode health(int instance) throws Exception {
        return Json.MAPPER.readTree(
                Http.get(team.router(instance).baseUrl() + "/health", Map.of()).body());
    }

    @Test
    void redisKilledEveryInstanceAnswersOnItsOwnLimitsAndSharedStateResumesWhenRedisIsBack() throws Exception {
        start(1000);
        assertThat(admitted(9)).as("four a minute for the team").isEqualTo(4);
        assertThat(health(0).path("shared").path("state").asText()).isEqualTo("shared");

        team.redis().kill();
        team.awaitLocal();
        for (int i = 0; i < 3; i++) {
            JsonNode shared = health(i).path("shared");
            assertThat(shared.path("state").asText()).isEqualTo("local");
            assertThat(shared.path("store").asText()).startsWith("redis://127.0.0.1:");
            assertThat(shared.path("error").asText()).isNotBlank();
        }
        long started = System.nanoTime();
        assertThat(admitted(15))
                .as("each of three instances admits four on its own")
                .isEqualTo(12);
        assertThat((System.nanoTime() - started) / 1_000_000 / 15)
                .as("no request waits on the dead Redis")
                .isLessThan(1_000);
        assertThat(team.team(0).status().fallbacks()).isPositive();
        String metrics = Http.get(team.router(0).baseUrl() + "/metrics", Map.of("authorization", "Bearer " + TOKEN_A))
                .body();
        assertThat(metrics).contains("ccr_shared_state_up 0.0").contains("ccr_shared_fallbacks_total");

        team.redis().restart();
        team.awaitShared();
        assertThat(health(1).path("shared").path("state").asText()).isEqualTo("shared");
        assertThat(admitted(9))
                .as("one limit for the team again (Redis restarted empty)")
                .isEqualTo(4);
    }

    @Test
    void aRedisThatAnswersButAlwaysTooLateIsLeftAloneUntilItIsFastAgain() throws Exception {
        // A limit no request reaches: every request asks Redis.
        start(10, 100_000);
        assertThat(admitted(3)).isEqualTo(3);
        // Another client keeps Redis busy 200 ms at a time: the heartbeat's PING (1 s to answer) still passes, but the
        // calls of requests miss their 10 ms. Without giving up on such a Redis, every request would wait for it.
        AtomicBoolean slow = new AtomicBoolean(true);
        Thread busy = new Thread(() -> {
            while (slow.get()) {
                team.redis().command("DEBUG", "SLEEP", "0.2");
            }
        });
        try (LogCapture log = LogCapture.start()) {
            busy.start();
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (gaveUp(log) < 3 && System.nanoTime() < deadline) {
                assertThat(team.send(TOKEN_A, REQUEST).statusCode()).isEqualTo(200);
            }
            assertThat(gaveUp(log)).as("links that gave up on the slow Redis").isGreaterThanOrEqualTo(3);
        } finally {
            slow.set(false);
            busy.join();
        }
        team.awaitShared(); // and back once Redis is fast again
    }

    private static long gaveUp(LogCapture log) {
        return log.atLeast(Level.WARN).stream()
                .filter(line -> line.contains("within 10 ms (shared.timeoutMs)"))
                .count();
    }

    @Test
    void aStalledRedisHoldsNoRequestLongerThanItsTimeout() throws Exception {
        start(50);
        assertThat(admitted(3)).isEqualTo(3);
        team.redis().pause();
        try {
            for (int i = 0; i < 9; i++) {
                long started = System.nanoTime();
                HttpResponse<String> response = team.send(TOKEN_A, REQUEST);
                long tookMillis = (System.nanoTime() - started) / 1_000_000;
                assertThat(response.statusCode()).isIn(200, 429);
                assertThat(tookMillis).as("request " + i).isLessThan(2_000);
            }
            team.awaitLocal();
            assertThat(health(2).path("shared").path("error").asText()).contains("did not answer within");
        } finally {
            team.redis().resume();
        }
        team.awaitShared();
    }
}
