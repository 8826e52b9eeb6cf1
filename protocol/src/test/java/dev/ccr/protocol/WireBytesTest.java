package dev.ccr.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ccr.protocol.config.EndpointType;
import dev.ccr.protocol.lifecycle.ClientCapabilities;
import dev.ccr.protocol.lifecycle.InitializeParams;
import dev.ccr.protocol.router.EditorPreferences;
import dev.ccr.protocol.router.WhenEditorsClose;
import dev.ccr.protocol.status.EndpointHealth;
import dev.ccr.protocol.status.ProxyState;
import dev.ccr.protocol.status.RouterLifetime;
import dev.ccr.protocol.status.RoutingState;
import dev.ccr.protocol.status.ServerStatus;
import dev.ccr.protocol.status.StatusChangedParams;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Pins the exact bytes on the wire, which the TypeScript side and any other client depend on: LSP framing, ids as
 * strings, record fields in declaration order, enums as names (LSP4J alone would write ordinals), nulls left out.
 */
class WireBytesTest {
    private final ExecutorService executor = Executors.newSingleThreadExecutor();

    @AfterEach
    void stop() {
        executor.shutdownNow();
    }

    @Test
    void initializeRequestBytes() {
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        CcrServer server = CcrLauncher.clientLauncher(
                        new ScriptedEndpoint().implement(CcrClient.class),
                        new ByteArrayInputStream(new byte[0]),
                        wire,
                        executor)
                .getRemoteProxy();

        server.initialize(new InitializeParams(
                "1.1",
                "ccr-vscode",
                null,
                new ClientCapabilities(true, false, true),
                List.of("/work/app"),
                new EditorPreferences(WhenEditorsClose.TURN_ROUTING_OFF)));

        String body =
                "{\"jsonrpc\":\"2.0\",\"id\":\"1\",\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"1.1\","
                        + "\"clientName\":\"ccr-vscode\",\"capabilities\":{\"apiKeys\":true,\"requestNotifications\":false,"
                        + "\"endpointTestProgress\":true},\"workspaceFolders\":[\"/work/app\"],"
                        + "\"preferences\":{\"whenEditorsClose\":\"TURN_ROUTING_OFF\"}}}";
        assertThat(wire.toString(StandardCharsets.UTF_8))
                .isEqualTo("Content-Length: " + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body);
    }

    @Test
    void statusChangedNotificationBytes() {
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        CcrClient editor = CcrLauncher.serverLauncher(
                        new ScriptedEndpoint().implement(CcrServer.class),
                        new ByteArrayInputStream(new byte[0]),
                        wire,
                        executor,
                        null,
                        null)
                .getRemoteProxy();

        editor.statusChanged(new StatusChangedParams(new ServerStatus(
                ProxyState.RUNNING,
                "127.0.0.1",
                3456,
                "http://127.0.0.1:3456",
                RoutingState.OFF,
                "glm",
                List.of(new ServerStatus.EndpointStatus(
                        "glm", EndpointType.CUSTOM, "https://api.z.ai/v4", EndpointHealth.HEALTHY, null)),
                null,
                List.of(),
                "/home/dev/.claude-code-router/config.json",
                2,
                RouterLifetime.SHARED,
                null)));

        String body = "{\"jsonrpc\":\"2.0\",\"method\":\"status/statusChanged\",\"params\":{\"status\":{"
                + "\"proxy\":\"RUNNING\",\"host\":\"127.0.0.1\",\"port\":3456,\"baseUrl\":\"http://127.0.0.1:3456\","
                + "\"routing\":\"OFF\",\"defaultEndpoint\":\"glm\",\"endpoints\":[{\"name\":\"glm\",\"type\":\"CUSTOM\","
                + "\"baseUrl\":\"https://api.z.ai/v4\",\"health\":\"HEALTHY\"}],\"configProblems\":[],"
                + "\"configFile\":\"/home/dev/.claude-code-router/config.json\",\"editors\":2,\"lifetime\":\"SHARED\"}}}";
        assertThat(wire.toString(StandardCharsets.UTF_8))
                .isEqualTo("Content-Length: " + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body);
    }
}
