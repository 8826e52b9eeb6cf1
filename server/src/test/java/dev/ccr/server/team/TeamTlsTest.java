package dev.ccr.server.team;

import static dev.ccr.server.team.TeamLimitsTest.MESSAGE;
import static dev.ccr.server.team.TeamLimitsTest.REQUEST;
import static dev.ccr.server.testing.TeamFixture.TOKEN_A;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ccr.server.testing.FakeUpstream;
import dev.ccr.server.testing.Http;
import dev.ccr.server.testing.RedisServer;
import dev.ccr.server.testing.RouterFixture;
import dev.ccr.server.testing.SelfSignedCertificate;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code rediss://}: the connection to Redis is encrypted, and a server whose certificate is not trusted is refused. */
class TeamTlsTest {
    @TempDir
    Path directory;

    private static String config(String upstream, int port, String caFile) {
        return """
                {
                  "auth": {"tokens": [{"name": "team-a", "token": "%s"}]},
                  "endpoints": [{"name": "a", "type": "anthropic", "baseUrl": "%s", "apiKey": "ka-0123456789"}],
                  "limits": {"default": {"requestsPerMinute": 2}},
                  "shared": {"redis": "rediss://:tls-password-0123@127.0.0.1:%d", "timeoutMs": 1000 %s}
                }
                """
                .formatted(TOKEN_A, upstream, port, caFile == null ? "" : ", \"caFile\": \"" + caFile + "\"");
    }

    @Test
    void overTlsWithThePrivateAuthorityStateIsSharedAndWithoutItRedisIsNotTrusted() throws Exception {
        SelfSignedCertificate certificate = SelfSignedCertificate.create(directory);
        try (RedisServer redis = RedisServer.startTls(
                        certificate.certificate(), certificate.key(), List.of("--requirepass", "tls-password-0123"));
                FakeUpstream upstream = FakeUpstream.start().respondWith(200, "application/json", MESSAGE)) {
            try (RouterFixture trusting = RouterFixture.start(config(
                    upstream.baseUrl(), redis.port(), certificate.certificate().toString()))) {
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> trusting.runtime().team().link().up());
                Map<String, String> headers =
                        Map.of("content-type", "application/json", "authorization", "Bearer " + TOKEN_A);
                assertThat(Http.post(trusting.baseUrl() + "/v1/messages", REQUEST, headers)
                                .statusCode())
                        .isEqualTo(200);
                assertThat(Http.post(trusting.baseUrl() + "/v1/messages", REQUEST, headers)
                                .statusCode())
                        .isEqualTo(200);
                assertThat(Http.post(trusting.baseUrl() + "/v1/messages", REQUEST, headers)
                                .body())
                        .contains("across the team");
            }
            try (RouterFixture doubting = RouterFixture.start(config(upstream.baseUrl(), redis.port(), null))) {
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> doubting.runtime().team().status().lastError() != null
                                && !"connecting"
                                        .equals(doubting.runtime()
                                                .team()
                                                .status()
                                                .lastError()));
                assertThat(doubting.runtime().team().link().up())
                        .as("a certificate no authority vouches for is refused")
                        .isFalse();
            }
        }
    }
}
