package dev.ccr.server.rpc;

import dev.ccr.protocol.CcrLauncher;
import dev.ccr.protocol.CcrServer;
import dev.ccr.protocol.ProtocolVersion;
import dev.ccr.protocol.lifecycle.ClientCapabilities;
import dev.ccr.protocol.lifecycle.InitializeParams;
import dev.ccr.protocol.lifecycle.InitializeResult;
import dev.ccr.protocol.router.EditorPreferences;
import dev.ccr.protocol.router.WhenEditorsClose;
import dev.ccr.protocol.status.RouterLifetime;
import dev.ccr.server.claude.ClaudePaths;
import dev.ccr.server.claude.ClaudeSettings;
import dev.ccr.server.config.ConfigLoader;
import dev.ccr.server.config.ConfigPaths;
import dev.ccr.server.config.Overrides;
import dev.ccr.server.rpc.socket.EditorSocket;
import dev.ccr.server.rpc.socket.SocketPath;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.Pipe;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.eclipse.lsp4j.jsonrpc.Launcher;

/**
 * A shared router in this JVM ({@code ccr lsp --shared} without the process): its proxy on a free port, one editor on
 * crossed pipes as the window that started it, and as many more as a test attaches through the real local socket.
 */
final class SharedRouterHarness implements AutoCloseable {
    /** One editor window: what it records, and the server as it calls it. */
    static final class Window {
        final RecordingEditor editor;
        final CcrServer server;
        private final Runnable close;

        Window(RecordingEditor editor, CcrServer server, Runnable close) {
            this.editor = editor;
            this.server = server;
            this.close = close;
        }

        InitializeResult initialize(Path folder, WhenEditorsClose whenEditorsClose) throws Exception {
            return server.initialize(new InitializeParams(
                            ProtocolVersion.CURRENT,
                            "test-window",
                            "1",
                            new ClientCapabilities(true, true, true),
                            List.of(folder.toString()),
                            new EditorPreferences(whenEditorsClose)))
                    .get(20, TimeUnit.SECONDS);
        }

        /** Closes the window's end of the connection, as a window that closes (or crashes) does. */
        void close() {
            close.run();
        }
    }

    final Path directory;
    final Path configFile;
    final Path claudeSettings;
    final Path socketPath;
    final Sidecar router;
    final Window starter;
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread thread = new Thread(r, "test-window");
        thread.setDaemon(true);
        return thread;
    });
    private final List<EditorSocket.Connection> connections = new ArrayList<>();

    SharedRouterHarness(String config, Duration linger) throws IOException {
        directory = Files.createTempDirectory("ccr-shared");
        Path home = directory.resolve("ccr");
        configFile = home.resolve("config.json");
        claudeSettings = directory.resolve("claude/settings.json");
        Files.createDirectories(configFile.getParent());
        Files.createDirectories(claudeSettings.getParent());
        Files.writeString(configFile, config, StandardCharsets.UTF_8);
        Pipe editorToServer = Pipe.open();
        Pipe serverToEditor = Pipe.open();
        OutputStream toServer = Channels.newOutputStream(editorToServer.sink());
        router = Sidecar.start(
                new Sidecar.Options(
                                configFile,
                                new Overrides(0, null, false),
                                new ConfigLoader(name -> null),
                                null,
                                null,
                                1,
                                new ClaudeSettings(new ClaudePaths(claudeSettings, null), new ConfigPaths(home)),
                                Duration.ofSeconds(5),
                                null)
                        .withLifetime(RouterLifetime.SHARED, linger, null),
                Channels.newInputStream(editorToServer.source()),
                Channels.newOutputStream(serverToEditor.sink()));
        socketPath = SocketPath.of(home, configFile);
        router.serve(((EditorSocket.Claim.Owned) EditorSocket.claim(socketPath)).socket());
        starter = window(Channels.newInputStream(serverToEditor.source()), toServer, () -> {
            try {
                toServer.close();
            } catch (IOException ignored) {
                // closed already
            }
        });
    }

    /** Another window, attached through the socket. */
    Window attach() throws IOException {
        EditorSocket.Connection connection = EditorSocket.connect(socketPath);
        synchronized (connections) {
            connections.add(connection);
        }
        return window(connection.input(), connection.output(), connection::close);
    }

    private Window window(InputStream in, OutputStream out, Runnable close) {
        RecordingEditor editor = new RecordingEditor();
        Launcher<CcrServer> launcher = CcrLauncher.clientLauncher(editor, in, out, executor);
        launcher.startListening();
        return new Window(editor, launcher.getRemoteProxy(), close);
    }

    boolean exited() {
        return router.exited().isDone();
    }

    @Override
    public void close() throws Exception {
        router.exit(0);
        synchronized (connections) {
            connections.forEach(EditorSocket.Connection::close);
        }
        executor.shutdownNow();
    }
}
