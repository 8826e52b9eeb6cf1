package dev.ccr.server.team;

import static dev.ccr.server.team.TeamLimitsTest.MESSAGE;
import static dev.ccr.server.team.TeamLimitsTest.REQUEST;
import static dev.ccr.server.testing.TeamFixture.TOKEN_A;
import static dev.ccr.server.testing.TeamFixture.TOKEN_B;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ccr.server.testing.FakeUpstream;
import dev.ccr.server.testing.TeamFixture;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalDate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A daily budget is spent once by the whole team, not once per instance. */
class TeamBudgetTest {
    private final FakeUpstream upstream = FakeUpstream.start().respondWith(200, "application/json", MESSAGE);
    private TeamFixture team;

    @AfterEach
    void stop() {
        if (team != null) {
            team.close();
        }
        upstream.close();
    }

    @Test
    void aDailyBudgetIsSpentOnceAcrossInstances() throws Exception {
        // Each answer takes 10 input tokens at $100,000 per million: one dollar a request.
        team = TeamFixture.start(
                3,
                """
                {
                  "auth": {"tokens": [{"name": "team-a", "token": "%s"}, {"name": "team-b", "token": "%s"}]},
                  "endpoints": [{"name": "a", "type": "anthropic", "baseUrl": "%s", "apiKey": "ka-0123456789"}],
                  "pricing": {"a,claude-test": {"input": 100000, "output": 0}},
                  "limits": {"tokens": {"team-a": {"dailyBudgetUsd": 3}}},
                  "shared": {"redis": "%%REDIS%%", "timeoutMs": 1000}
                }
                """
                        .formatted(TOKEN_A, TOKEN_B, upstream.baseUrl()));

        for (int i = 0; i < 3; i++) {
            assertThat(team.send(i, TOKEN_A, REQUEST).statusCode())
                    .as("request through instance " + i)
                    .isEqualTo(200);
        }
        // Costs are counted once a request is finished; every instance hears the team's total a moment later.
        await().atMost(Duration.ofSeconds(10)).until(() -> team.routers().stream()
                .allMatch(r -> r.runtime().flow().spend().today("team-a") >= 3.0));

        for (int i = 0; i < 3; i++) {
            HttpResponse<String> refused = team.send(i, TOKEN_A, REQUEST);
            assertThat(refused.statusCode()).as("instance " + i).isEqualTo(429);
            assertThat(refused.body()).contains("spent $3.00 today").contains("dailyBudgetUsd");
            assertThat(refused.headers().firstValue("x-should-retry")).hasValue("false");
        }
        assertThat(upstream.requests()).as("three dollars' worth, not nine").hasSize(3);
        assertThat(Double.parseDouble(team.redis().command("HGET", "ccr:spend:" + LocalDate.now(), "team-a")))
                .isEqualTo(3.0);
        assertThat(team.send(TOKEN_B, REQUEST).statusCode())
                .as("another client's budget is its own")
                .isEqualTo(200);
    }

    @Test
    void anInstanceThatStartsLaterKnowsWhatTheTeamSpentToday() throws Exception {
        String config =
                """
                {
                  "auth": {"tokens": [{"name": "team-a", "token": "%s"}]},
                  "endpoints": [{"name": "a", "type": "anthropic", "baseUrl": "%s", "apiKey": "ka-0123456789"}],
                  "pricing": {"a,claude-test": {"input": 100000, "output": 0}},
                  "limits": {"tokens": {"team-a": {"dailyBudgetUsd": 2}}},
                  "shared": {"redis": "%%REDIS%%", "timeoutMs": 1000}
                }
                """
                        .formatted(TOKEN_A, upstream.baseUrl());
        team = TeamFixture.start(1, config);
        assertThat(team.send(0, TOKEN_A, REQUEST).statusCode()).isEqualTo(200);
        assertThat(team.send(0, TOKEN_A, REQUEST).statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> team.redis().command("HGET", "ccr:spend:" + LocalDate.now(), "team-a") != null
                        && Double.parseDouble(team.redis().command("HGET", "ccr:spend:" + LocalDate.now(), "team-a"))
                                >= 2.0);

        try (var later = dev.ccr.server.testing.RouterFixture.start(
                config.replace("%REDIS%", team.redis().url()))) {
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> later.runtime().flow().spend().today("team-a") >= 2.0);
            HttpResponse<String> refused = dev.ccr.server.testing.Http.post(
                    later.baseUrl() + "/v1/messages",
                    REQUEST,
                    java.util.Map.of("content-type", "application/json", "authorization", "Bearer " + TOKEN_A));
            assertThat(refused.statusCode()).isEqualTo(429);
        }
        assertThat(upstream.requests()).hasSize(2);
    }
}
