package dev.ccr.server.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ccr.protocol.CcrLauncher;
import dev.ccr.protocol.CcrServer;
import dev.ccr.protocol.ProtocolVersion;
import dev.ccr.protocol.claude.ClaudeEnableParams;
import dev.ccr.protocol.lifecycle.InitializeParams;
import dev.ccr.protocol.lifecycle.InitializeResult;
import dev.ccr.protocol.status.ProxyState;
import dev.ccr.protocol.status.RouterLifetime;
import dev.ccr.server.rpc.socket.EditorSocket;
import dev.ccr.server.rpc.socket.SocketPath;
import dev.ccr.server.testing.CcrProcess;
import dev.ccr.server.testing.FakeUpstream;
import dev.ccr.server.testing.Http;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.eclipse.lsp4j.jsonrpc.Launcher;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ccr lsp --shared} as real processes: the races between windows starting routers at the same moment, a router
 * killed without a chance to clean up, and a router that outlives the window that started it.
 */
class SharedLspIT {
    @TempDir
    Path home;

    private FakeUpstream upstream;
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread thread = new Thread(r, "shared-lsp-it");
        thread.setDaemon(true);
        return thread;
    });
    private final List<Process> processes = new ArrayList<>();
    private final List<EditorSocket.Connection> connections = new ArrayList<>();

    @BeforeEach
    void setUp() throws IOException {
        upstream = FakeUpstream.start().respondWith(200, "application/json", "{\"id\":\"msg_1\",\"type\":\"message\"}");
        Files.createDirectories(ccrHome());
        Files.writeString(
                configFile(),
                "{\n  \"port\": 0,\n  \"endpoints\": [\n    { \"name\": \"anthropic\", \"type\": \"anthropic\","
                        + " \"baseUrl\": \"" + upstream.baseUrl() + "\", \"apiKey\": \"sk-test\" }\n  ]\n}\n");
    }

    @AfterEach
    void tearDown() {
        connections.forEach(EditorSocket.Connection::close);
        processes.forEach(Process::destroyForcibly);
        executor.shutdownNow();
        upstream.close();
    }

    private Path ccrHome() {
        return home.resolve(".claude-code-router");
    }

    private Path configFile() {
        return ccrHome().resolve("config.json");
    }

    private Path socket() {
        return SocketPath.of(ccrHome(), configFile());
    }

    private CcrProcess ccr() {
        return new CcrProcess(
                home, Map.of("CLAUDE_CONFIG_DIR", home.resolve(".claude").toString()));
    }

    private Process startShared(String name, String... extra) throws IOException {
        List<String> args = new ArrayList<>(List.of("lsp", "--shared", "--debug"));
        args.addAll(List.of(extra));
        Process process = ccr().builder(args.toArray(String[]::new))
                .redirectError(home.resolve(name + ".stderr.log").toFile())
                .start();
        processes.add(process);
        return process;
    }

    private CcrServer editor(InputStream in, OutputStream out) {
        Launcher<CcrServer> launcher = CcrLauncher.clientLauncher(new RecordingEditor(), in, out, executor);
        launcher.startListening();
        return launcher.getRemoteProxy();
    }

    private CcrServer attach() throws IOException {
        EditorSocket.Connection connection = EditorSocket.connect(socket());
        connections.add(connection);
        return editor(connection.input(), connection.output());
    }

    private static InitializeResult initialize(CcrServer server) throws Exception {
        return server.initialize(
                        new InitializeParams(ProtocolVersion.CURRENT, "shared-lsp-it", "1", null, List.of(), null))
                .get(30, TimeUnit.SECONDS);
    }

    private String stderr(String name) throws IOException {
        return Files.readString(home.resolve(name + ".stderr.log"), StandardCharsets.UTF_8);
    }

    @Test
    void twoWindowsStartingRoutersAtTheSameMomentGetExactlyOne() throws Exception {
        Process a = startShared("a");
        Process b = startShared("b");

        await().atMost(Duration.ofSeconds(60)).until(() -> !a.isAlive() || !b.isAlive());
        Process loser = a.isAlive() ? b : a;
        Process winner = loser == a ? b : a;
        assertThat(loser.waitFor(5, TimeUnit.SECONDS)).isTrue();
        assertThat(loser.exitValue())
                .as("the exit status that says: attach instead")
                .isEqualTo(4);
        assertThat(stderr(loser == a ? "a" : "b"))
                .contains("another ccr (pid " + winner.pid() + ") serves the editors of " + configFile())
                .contains(socket().toString());
        assertThat(winner.isAlive()).isTrue();

        InitializeResult attached = initialize(attach());
        assertThat(attached.processId()).isEqualTo(winner.pid());
        assertThat(attached.status().lifetime()).isEqualTo(RouterLifetime.SHARED);
    }

    @Test
    void aRouterKilledWithoutCleaningUpIsReplacedDespiteItsSocketFile() throws Exception {
        Process first = startShared("first");
        // Bound is not yet listening: the file appears a moment before connections are accepted.
        await().atMost(Duration.ofSeconds(60))
                .ignoreExceptions()
                .until(() -> initialize(attach()).processId() == first.pid());

        first.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        assertThat(Files.exists(socket()))
                .as("a kill leaves the socket file behind")
                .isTrue();

        Process second = startShared("second");
        await().atMost(Duration.ofSeconds(60))
                .ignoreExceptions()
                .until(() -> initialize(attach()).processId() == second.pid());
        assertThat(second.isAlive()).isTrue();
    }

    @Test
    void withRoutingOnTheRouterOutlivesTheWindowThatStartedItAndStopsOnCcrStop() throws Exception {
        Files.createDirectories(home.resolve(".claude"));
        Files.writeString(home.resolve(".claude/settings.json"), "{}\n");
        Process router = startShared("router", "--linger", "1");
        CcrServer window = editor(router.getInputStream(), router.getOutputStream());
        InitializeResult init = initialize(window);
        assertThat(init.status().proxy()).isEqualTo(ProxyState.RUNNING);
        window.getClaudeService().enable(new ClaudeEnableParams(null, null)).get(30, TimeUnit.SECONDS);

        // The window closes: its end of the pipes goes away, as when VS Code quits.
        router.getOutputStream().close();
        Thread.sleep(3_000);

        assertThat(router.isAlive()).as("Claude Code is routed through it").isTrue();
        assertThat(Http.get(init.status().baseUrl() + "/health", Map.of()).statusCode())
                .isEqualTo(200);
        Path log = ccrHome().resolve("logs/ccr-" + init.status().port() + ".log");
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(log));
        assertThat(Files.readString(log)).contains("the editor that started this router");

        CcrProcess.Result stop = ccr().run(30, "stop", "--all");
        assertThat(stop.exitCode()).as(stop.output()).isZero();
        assertThat(router.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(Files.exists(socket())).isFalse();
    }
}
