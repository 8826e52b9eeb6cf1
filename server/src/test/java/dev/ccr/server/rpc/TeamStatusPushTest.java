package dev.ccr.server.rpc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ccr.protocol.status.ServerStatus;
import dev.ccr.server.testing.RedisServer;
import org.junit.jupiter.api.Test;

/**
 * The editor learns, by the status push alone, whether its router shares state with the team or runs on its own: the
 * VS Code tooltip shows what this carries.
 */
class TeamStatusPushTest {
    @Test
    void theStatusSaysWhetherStateIsSharedAndPushesEachChange() throws Exception {
        try (RedisServer redis = RedisServer.start()) {
            String config =
                    """
                    {
                      "endpoints": [{"name": "anthropic", "type": "anthropic", "baseUrl": "http://127.0.0.1:9/v1"}],
                      "shared": {"redis": "redis://:team-password-123@127.0.0.1:%d", "timeoutMs": 1000}
                    }
                    """
                            .formatted(redis.port());
            redis.command("CONFIG", "SET", "requirepass", "team-password-123");
            try (SidecarHarness sidecar = SidecarHarness.start(config)) {
                ServerStatus initial = sidecar.initialize().status();
                ServerStatus shared =
                        initial.shared() != null && initial.shared().shared()
                                ? initial // it connected before the editor did
                                : sidecar.editor.awaitStatus(
                                        s -> s.shared() != null && s.shared().shared());
                assertThat(shared.shared().store()).isEqualTo("redis://:***@127.0.0.1:" + redis.port());
                assertThat(shared.shared().lastError()).isNull();

                redis.kill();
                ServerStatus alone = sidecar.editor.awaitStatus(
                        s -> s.shared() != null && !s.shared().shared());
                assertThat(alone.shared().lastError()).isNotBlank().doesNotContain("team-password-123");
                assertThat(alone.proxy().name()).isEqualTo("RUNNING");

                redis.restart();
                redis.command("CONFIG", "SET", "requirepass", "team-password-123");
                int pushed = sidecar.editor.statuses.size();
                sidecar.editor.awaitStatus(s -> sidecar.editor.statuses.indexOf(s) >= pushed
                        && s.shared() != null
                        && s.shared().shared());
            }
        }
    }
}
