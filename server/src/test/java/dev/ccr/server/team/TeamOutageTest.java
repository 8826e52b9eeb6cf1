package dev.ccr.server.team;

import static dev.ccr.server.team.TeamLimitsTest.MESSAGE;
import static dev.ccr.server.team.TeamLimitsTest.REQUEST;
import static dev.ccr.server.testing.TeamFixture.TOKEN_A;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ccr.server.json.Json;
import dev.ccr.server.testing.FakeUpstream;
import dev.ccr.server.testing.Http;
import dev.ccr.server.testing.TeamFixture;
import java.net.http.HttpResponse;
import java.util.Map;
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
        team = TeamFixture.start(
                3,
                """
                {
                  "auth": {"tokens": [{"name": "team-a", "token": "%s"}]},
                  "endpoints": [{"name": "a", "type": "anthropic", "baseUrl": "%s", "apiKey": "ka-0123456789"}],
                  "limits": {"tokens": {"team-a": {"requestsPerMinute": 4}}},
                  "shared": {"redis": "%%REDIS%%", "timeoutMs": %d}
                }
                """
                        .formatted(TOKEN_A, upstream.baseUrl(), timeoutMs));
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
