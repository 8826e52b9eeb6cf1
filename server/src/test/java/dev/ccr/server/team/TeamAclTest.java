package dev.ccr.server.team;

import static dev.ccr.server.team.TeamLimitsTest.MESSAGE;
import static dev.ccr.server.team.TeamLimitsTest.REQUEST;
import static dev.ccr.server.testing.TeamFixture.TOKEN_A;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ccr.server.observe.metrics.BreakerState;
import dev.ccr.server.testing.FakeUpstream;
import dev.ccr.server.testing.RedisServer;
import dev.ccr.server.testing.RouterFixture;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The ACL user docs/TEAM.md recommends (ccr's keys and channel, nothing else) is all a team needs. */
class TeamAclTest {
    private static String admin(RedisServer redis, String... command) {
        return redis.commandAs("admin", "admin-password-0123", command);
    }

    @Test
    void anAclUserLimitedToCcrsKeysAndChannelIsEnough() throws Exception {
        try (RedisServer redis = RedisServer.start();
                FakeUpstream upstream = FakeUpstream.start().respondWith(200, "application/json", MESSAGE);
                FakeUpstream broken = FakeUpstream.start()
                        .respondWith(
                                500,
                                "application/json",
                                "{\"type\":\"error\",\"error\":{\"type\":\"api_error\",\"message\":\"x\"}}")) {
            redis.command(
                    "ACL",
                    "SETUSER",
                    "router",
                    "on",
                    ">acl-password-0123",
                    "resetchannels",
                    "~ccr:*",
                    "&ccr:*",
                    "+@read",
                    "+@write",
                    "+@scripting",
                    "+@pubsub",
                    "+@connection",
                    "+time");
            redis.command("ACL", "SETUSER", "admin", "on", ">admin-password-0123", "~*", "&*", "+@all");
            redis.command("ACL", "SETUSER", "default", "off");
            String config =
                    """
                    {
                      "auth": {"tokens": [{"name": "team-a", "token": "%s"}]},
                      "endpoints": [
                        {"name": "a", "type": "anthropic", "baseUrl": "%s", "apiKey": "ka-0123456789", "maxConcurrent": 5},
                        {"name": "broken", "type": "anthropic", "baseUrl": "%s", "apiKey": "kb-0123456789"}
                      ],
                      "pricing": {"a,claude-test": {"input": 1, "output": 1}},
                      "limits": {"default": {"requestsPerMinute": 100, "tokensPerMinute": 100000, "maxConcurrent": 5,
                                 "dailyBudgetUsd": 10}},
                      "breaker": {"consecutiveFailures": 1},
                      "cache": {"enabled": true},
                      "shared": {"redis": "redis://router:acl-password-0123@127.0.0.1:%d", "timeoutMs": 1000}
                    }
                    """
                            .formatted(TOKEN_A, upstream.baseUrl(), broken.baseUrl(), redis.port());
            try (RouterFixture router = RouterFixture.start(config)) {
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> router.runtime().team().link().up());
                for (int i = 0; i < 3; i++) {
                    assertThat(dev.ccr.server.testing.Http.post(
                                            router.baseUrl() + "/v1/messages",
                                            REQUEST,
                                            java.util.Map.of(
                                                    "content-type",
                                                    "application/json",
                                                    "authorization",
                                                    "Bearer " + TOKEN_A))
                                    .statusCode())
                            .isEqualTo(200);
                }
                dev.ccr.server.testing.Http.post(
                        router.baseUrl() + "/v1/messages",
                        REQUEST.replace("claude-test", "broken,claude-test"),
                        java.util.Map.of("content-type", "application/json", "authorization", "Bearer " + TOKEN_A));
                assertThat(router.runtime().breakers().view("broken").state()).isEqualTo(BreakerState.OPEN);
                String today = java.time.LocalDate.now().toString();
                await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                    assertThat(admin(redis, "KEYS", "ccr:cache:entry:*")).isNotEmpty();
                    assertThat(admin(redis, "HGET", "ccr:breakers", "broken")).contains("until");
                    assertThat(admin(redis, "HGET", "ccr:spend:" + today, "team-a"))
                            .isNotNull();
                    assertThat(admin(redis, "HLEN", "ccr:usage:" + today)).isNotEqualTo("0");
                });
                assertThat(router.runtime().team().status().fallbacks())
                        .as("nothing was refused to the limited user")
                        .isZero();
                assertThat(admin(redis, "ACL", "LOG")).isEmpty();
            }
        }
    }
}
