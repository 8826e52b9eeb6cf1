package dev.ccr.server.team;

import static dev.ccr.server.team.TeamLimitsTest.MESSAGE;
import static dev.ccr.server.team.TeamLimitsTest.REQUEST;
import static dev.ccr.server.testing.TeamFixture.TOKEN_A;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ccr.server.observe.metrics.BreakerState;
import dev.ccr.server.testing.FakeUpstream;
import dev.ccr.server.testing.RouterFixture;
import dev.ccr.server.testing.TeamFixture;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What one instance learns about an endpoint, all of them know within a second: a circuit it opened, an endpoint
 * that said "not now". The others then skip it without sending it a request first.
 */
class TeamBreakersTest {
    private static final String FAILURE =
            "{\"type\":\"error\",\"error\":{\"type\":\"api_error\",\"message\":\"upstream broke\"}}";
    private static final String OVERLOADED =
            "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}";

    private final FakeUpstream bad = FakeUpstream.start().respondWith(500, "application/json", FAILURE);
    private final FakeUpstream good = FakeUpstream.start().respondWith(200, "application/json", MESSAGE);
    private TeamFixture team;

    @AfterEach
    void stop() {
        if (team != null) {
            team.close();
        }
        bad.close();
        good.close();
    }

    private void start() {
        team = TeamFixture.start(
                3,
                """
                {
                  "auth": {"tokens": [{"name": "team-a", "token": "%s"}]},
                  "endpoints": [
                    {"name": "bad", "type": "anthropic", "baseUrl": "%s", "apiKey": "kb-0123456789"},
                    {"name": "good", "type": "anthropic", "baseUrl": "%s", "apiKey": "kg-0123456789"}
                  ],
                  "routes": {"default": ["bad", "good"]},
                  "breaker": {"consecutiveFailures": 2, "coolDownMs": 60000},
                  "shared": {"redis": "%%REDIS%%", "timeoutMs": 1000}
                }
                """
                        .formatted(TOKEN_A, bad.baseUrl(), good.baseUrl()));
    }

    private BreakerState state(int instance) {
        return team.router(instance).runtime().breakers().view("bad").state();
    }

    @Test
    void anEndpointTrippedOnOneInstanceIsSkippedByTheOthersWithinASecond() throws Exception {
        start();
        // Requests for "bad" itself (no other target to fail over to) through the first instance trip its circuit.
        String forBad = REQUEST.replace("claude-test", "bad,claude-test");
        for (int i = 0; i < 3 && state(0) != BreakerState.OPEN; i++) {
            assertThat(team.send(0, TOKEN_A, forBad).statusCode()).isEqualTo(500);
        }
        assertThat(state(0)).isEqualTo(BreakerState.OPEN);
        long opened = System.nanoTime();
        await().atMost(Duration.ofSeconds(1))
                .pollInterval(Duration.ofMillis(10))
                .until(() -> state(1) == BreakerState.OPEN && state(2) == BreakerState.OPEN);
        long tookMillis = (System.nanoTime() - opened) / 1_000_000;
        assertThat(tookMillis).as("known by every instance within a second").isLessThan(1_000);
        assertThat(team.router(1).runtime().breakers().view("bad").reason()).contains("upstream broke");

        int before = bad.requests().size();
        for (int i = 1; i < 3; i++) {
            HttpResponse<String> response = team.send(i, TOKEN_A, REQUEST);
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("x-ccr-endpoint")).hasValue("good");
            assertThat(response.headers().firstValue("x-ccr-attempts"))
                    .as("no attempt at the endpoint another instance found broken")
                    .isEmpty();
        }
        assertThat(bad.requests()).hasSize(before);
        assertThat(team.redis().command("HGET", "ccr:breakers", "bad")).contains("until");

        // An instance that joins later reads the open circuit from Redis.
        String config = Files.readString(team.router(0).configFile());
        try (RouterFixture later = RouterFixture.start(config)) {
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> later.runtime().breakers().view("bad").state() == BreakerState.OPEN);
        }
    }

    @Test
    void anEndpointThatSaidNotNowToOneInstanceIsTriedLastByAllWithinASecond() throws Exception {
        bad.respond((request, response) -> response.setStatusCode(529)
                .putHeader("content-type", "application/json")
                .putHeader("retry-after", "30")
                .end(OVERLOADED));
        start();
        HttpResponse<String> first = team.send(0, TOKEN_A, REQUEST);
        assertThat(first.headers().firstValue("x-ccr-endpoint")).hasValue("good");
        assertThat(team.router(0).runtime().breakers().busyUntil("bad")).isPositive();
        await().atMost(Duration.ofSeconds(1))
                .pollInterval(Duration.ofMillis(10))
                .until(() -> team.router(1).runtime().breakers().busyUntil("bad") > 0
                        && team.router(2).runtime().breakers().busyUntil("bad") > 0);
        assertThat(team.router(1).runtime().breakers().view("bad").state())
                .as("busy is not broken")
                .isEqualTo(BreakerState.CLOSED);

        int before = bad.requests().size();
        HttpResponse<String> elsewhere = team.send(2, TOKEN_A, REQUEST);
        assertThat(elsewhere.headers().firstValue("x-ccr-endpoint")).hasValue("good");
        assertThat(bad.requests()).as("the busy endpoint is not asked again").hasSize(before);
    }
}
