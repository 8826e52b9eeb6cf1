package dev.ccr.server.team;

import static dev.ccr.server.testing.TeamFixture.TOKEN_A;
import static dev.ccr.server.testing.TeamFixture.TOKEN_B;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ccr.server.testing.FakeUpstream;
import dev.ccr.server.testing.TeamFixture;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * One limit for the whole team: three instances behind a round-robin balancer hold a client to its requests per minute
 * and its concurrency together, as one router would, where each alone would let three times as much through.
 */
class TeamLimitsTest {
    static final String MESSAGE = "{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"m\","
            + "\"content\":[{\"type\":\"text\",\"text\":\"hi\"}],\"stop_reason\":\"end_turn\",\"stop_sequence\":null,"
            + "\"usage\":{\"input_tokens\":10,\"output_tokens\":2}}";
    static final String REQUEST =
            "{\"model\":\"claude-test\",\"max_tokens\":10,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

    private FakeUpstream upstream;
    private TeamFixture team;

    @BeforeEach
    void upstream() {
        upstream = FakeUpstream.start().respondWith(200, "application/json", MESSAGE);
    }

    @AfterEach
    void stop() {
        if (team != null) {
            team.close();
        }
        upstream.close();
    }

    private void start(String limits) {
        team = TeamFixture.start(
                3,
                """
                {
                  "auth": {"tokens": [{"name": "team-a", "token": "%s"}, {"name": "team-b", "token": "%s"}]},
                  "endpoints": [{"name": "a", "type": "anthropic", "baseUrl": "%s", "apiKey": "ka-0123456789"}],
                  "limits": %s,
                  "shared": {"redis": "%%REDIS%%", "timeoutMs": 1000}
                }
                """
                        .formatted(TOKEN_A, TOKEN_B, upstream.baseUrl(), limits));
    }

    @Test
    void sixtyRequestsPerMinuteAdmitSixtyOfOneHundredFiftySpreadOverThreeInstances() throws Exception {
        start("{\"tokens\": {\"team-a\": {\"requestsPerMinute\": 60}}}");
        List<Integer> statuses = new ArrayList<>();
        ExecutorService clients = Executors.newFixedThreadPool(6);
        try {
            List<Future<HttpResponse<String>>> sent = new ArrayList<>();
            for (int i = 0; i < 150; i++) {
                sent.add(clients.submit(() -> team.send(TOKEN_A, REQUEST)));
            }
            for (Future<HttpResponse<String>> response : sent) {
                statuses.add(response.get().statusCode());
            }
        } finally {
            clients.shutdownNow();
        }
        long admitted = statuses.stream().filter(s -> s == 200).count();
        long refused = statuses.stream().filter(s -> s == 429).count();
        assertThat(admitted).as("one limit for the team, within 1 of it").isBetween(59L, 61L);
        assertThat(admitted + refused).isEqualTo(150);
        assertThat(upstream.requests()).hasSize((int) admitted);
        assertThat(team.send(TOKEN_B, REQUEST).statusCode())
                .as("another client has limits of its own")
                .isEqualTo(200);
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> refusedHere = team.send(i, TOKEN_A, REQUEST);
            assertThat(refusedHere.statusCode()).as("instance " + i).isEqualTo(429);
            assertThat(refusedHere.body()).contains("requestsPerMinute").contains("across the team");
            assertThat(refusedHere.headers().firstValue("retry-after")).isPresent();
        }
    }
}
