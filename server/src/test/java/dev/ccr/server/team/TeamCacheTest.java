package dev.ccr.server.team;

import static dev.ccr.server.team.TeamLimitsTest.MESSAGE;
import static dev.ccr.server.team.TeamLimitsTest.REQUEST;
import static dev.ccr.server.testing.TeamFixture.TOKEN_A;
import static dev.ccr.server.testing.TeamFixture.TOKEN_B;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ccr.server.cache.CacheScope;
import dev.ccr.server.json.Json;
import dev.ccr.server.testing.FakeKeys;
import dev.ccr.server.testing.FakeUpstream;
import dev.ccr.server.testing.Http;
import dev.ccr.server.testing.TeamFixture;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** One response cache for the team: an answer cached through one instance is a hit through another, for its caller. */
class TeamCacheTest {
    private final FakeUpstream upstream = FakeUpstream.start().respondWith(200, "application/json", MESSAGE);
    private TeamFixture team;

    @AfterEach
    void stop() {
        if (team != null) {
            team.close();
        }
        upstream.close();
    }

    private void start(String cache) {
        team = TeamFixture.start(
                3,
                """
                {
                  "auth": {"tokens": [{"name": "team-a", "token": "%s"}, {"name": "team-b", "token": "%s"}]},
                  "endpoints": [{"name": "a", "type": "anthropic", "baseUrl": "%s", "apiKey": "ka-0123456789"}],
                  "cache": %s,
                  "shared": {"redis": "%%REDIS%%", "timeoutMs": 1000}
                }
                """
                        .formatted(TOKEN_A, TOKEN_B, upstream.baseUrl(), cache));
    }

    private int entries() {
        String keys = team.redis().command("KEYS", "ccr:cache:entry:*");
        return keys == null || keys.isEmpty() ? 0 : keys.split("\n").length;
    }

    @Test
    void anAnswerCachedThroughOneInstanceIsAHitThroughTheOthers() throws Exception {
        start("{\"enabled\": true, \"ttl\": 600}");
        HttpResponse<String> first = team.send(0, TOKEN_A, REQUEST);
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.headers().firstValue("x-ccr-cache")).hasValue("miss");
        await().atMost(Duration.ofSeconds(10)).until(() -> entries() == 1);

        for (int i = 1; i < 3; i++) {
            HttpResponse<String> again = team.send(i, TOKEN_A, REQUEST);
            assertThat(again.statusCode()).isEqualTo(200);
            assertThat(again.headers().firstValue("x-ccr-cache"))
                    .as("instance " + i)
                    .hasValue("hit");
            JsonNode message = Json.MAPPER.readTree(again.body());
            assertThat(message.path("content").get(0).path("text").asText()).isEqualTo("hi");
            assertThat(message.path("id").asText())
                    .as("a replay is a new message")
                    .isNotEqualTo("msg_1");
        }
        assertThat(upstream.requests())
                .as("one upstream call for three answers")
                .hasSize(1);

        HttpResponse<String> otherCaller = team.send(2, TOKEN_B, REQUEST);
        assertThat(otherCaller.headers().firstValue("x-ccr-cache"))
                .as("an answer is served only to the caller it was made for")
                .hasValue("miss");
        assertThat(upstream.requests()).hasSize(2);
    }

    @Test
    void clientsBringingTheirOwnKeyFindTheirAnswersThroughAnyInstanceAndOnlyThey() {
        team = TeamFixture.start(
                2,
                """
                {
                  "endpoints": [{"name": "a", "type": "anthropic", "baseUrl": "%s"}],
                  "cache": {"enabled": true, "ttl": 600},
                  "shared": {"redis": "%%REDIS%%", "timeoutMs": 1000}
                }
                """
                        .formatted(upstream.baseUrl()));
        team.awaitShared();
        await().atMost(Duration.ofSeconds(10))
                .alias("every instance has read the team's hashing key")
                .until(() -> team.team(0).cache().scope() != CacheScope.PROCESS
                        && team.team(1).cache().scope() != CacheScope.PROCESS);
        String alice = FakeKeys.anthropic("api03-alice-0123456789");
        String bob = FakeKeys.anthropic("api03-bob-0123456789");

        assertThat(sendWithKey(0, alice).headers().firstValue("x-ccr-cache")).hasValue("miss");
        await().atMost(Duration.ofSeconds(10)).until(() -> entries() == 1);
        assertThat(team.redis().command("KEYS", "ccr:cache:entry:*"))
                .as("Redis never holds the client's key")
                .doesNotContain(alice);

        assertThat(sendWithKey(1, alice).headers().firstValue("x-ccr-cache"))
                .as("the same key through the other instance")
                .hasValue("hit");
        assertThat(sendWithKey(1, bob).headers().firstValue("x-ccr-cache"))
                .as("another key never gets alice's answer")
                .hasValue("miss");
        assertThat(upstream.requests()).hasSize(2);
        assertThat(upstream.requests().get(1).headers().get("x-api-key")).isEqualTo(bob);
    }

    private HttpResponse<String> sendWithKey(int instance, String apiKey) {
        return Http.post(
                team.router(instance).baseUrl() + "/v1/messages",
                REQUEST,
                Map.of("content-type", "application/json", "x-api-key", apiKey, "anthropic-version", "2023-06-01"));
    }

    @Test
    void theTeamsCacheStaysUnderItsSizeAndLargeAnswersAreStoredCompressed() throws Exception {
        // 1 MiB in all; an answer may take an eighth of it. Each answer here is ~60 KB of text that compresses well.
        String big = "the same sentence again and again. ".repeat(1_700);
        upstream.respondWith(200, "application/json", MESSAGE.replace("\"text\":\"hi\"", "\"text\":\"" + big + "\""));
        start("{\"enabled\": true, \"ttl\": 600, \"maxSizeMB\": 1}");
        for (int i = 0; i < 40; i++) {
            String request = REQUEST.replace("\"hi\"", "\"question " + i + "\"");
            assertThat(team.send(TOKEN_A, request).headers().firstValue("x-ccr-cache"))
                    .hasValue("miss");
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> entries() == 40);
        long total = Long.parseLong(team.redis().command("HGET", "ccr:cache:sizes", "#total"));
        assertThat(total)
                .as("compressed: 40 answers of 60 KB in far less than 1 MiB")
                .isLessThan(200_000);
        String oneKey = team.redis().command("KEYS", "ccr:cache:entry:*").split("\n")[0];
        assertThat(Long.parseLong(team.redis().command("STRLEN", oneKey))).isLessThan(10_000);
        assertThat(Long.parseLong(team.redis().command("PTTL", oneKey)))
                .as("each entry expires after cache.ttl")
                .isBetween(500_000L, 600_000L);

        // Answers that do not compress: the oldest go first to keep the total under 1 MiB.
        StringBuilder noise = new StringBuilder();
        java.util.Random random = new java.util.Random(7);
        while (noise.length() < 100_000) {
            noise.append(Long.toString(random.nextLong(), 36));
        }
        upstream.respondWith(200, "application/json", MESSAGE.replace("\"text\":\"hi\"", "\"text\":\"" + noise + "\""));
        for (int i = 0; i < 25; i++) {
            String request = REQUEST.replace("\"hi\"", "\"noise " + i + "\"");
            assertThat(team.send(TOKEN_A, request).statusCode()).isEqualTo(200);
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            long now = Long.parseLong(team.redis().command("HGET", "ccr:cache:sizes", "#total"));
            assertThat(now).isPositive().isLessThanOrEqualTo(1L << 20);
        });
        assertThat(entries()).as("the oldest made room").isLessThan(65);
        assertThat(team.send(0, TOKEN_A, REQUEST.replace("\"hi\"", "\"noise 24\""))
                        .headers()
                        .firstValue("x-ccr-cache"))
                .as("the newest answers stay")
                .hasValue("hit");
    }
}
