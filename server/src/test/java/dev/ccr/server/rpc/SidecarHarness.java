package dev.ccr.server.rpc;

import dev.ccr.protocol.CcrLauncher;
import dev.ccr.protocol.CcrServer;
import dev.ccr.protocol.ProtocolVersion;
import dev.ccr.protocol.lifecycle.ClientCapabilities;
import dev.ccr.protocol.lifecycle.InitializeParams;
import dev.ccr.protocol.lifecycle.InitializeResult;
import dev.ccr.server.claude.ClaudePaths;
import dev.ccr.server.claude.ClaudeSettings;
import dev.ccr.server.config.ConfigLoader;
import dev.ccr.server.config.ConfigPaths;
import dev.ccr.server.config.Overrides;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.Pipe;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.eclipse.lsp4j.jsonrpc.Launcher;

/**
 * A real sidecar in this JVM, its proxy on a free port, talking to a {@link RecordingEditor} over crossed pipes: the
 * protocol end to end without a child process.
 */
final class SidecarHarness implements AutoCloseable {
    final Path directory;
    final Path configFile;
    final Path claudeSettings;
    final RecordingEditor editor = new RecordingEditor();
    final Sidecar sidecar;
    final CcrServer server;
    private final OutputStream toServer;
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread thread = new Thread(r, "test-editor");
        thread.setDaemon(true);
        return thread;
    });

    private SidecarHarness(String config, Overrides overrides, Duration keyTimeout) throws IOException {
        directory = Files.createTempDirectory("ccr-sidecar");
        configFile = directory.resolve("ccr/config.json");
        claudeSettings = directory.resolve("claude/settings.json");
        Files.createDirectories(configFile.getParent());
        Files.createDirectories(claudeSettings.getParent());
        if (config != null) {
            Files.writeString(configFile, config, StandardCharsets.UTF_8);
        }
        // OS pipes, not java.io's piped streams: those fail once the thread that last wrote has ended, and the
        // sidecar answers from whichever thread finished the work.
        Pipe editorToServer = Pipe.open();
        Pipe serverToEditor = Pipe.open();
        InputStream serverIn = Channels.newInputStream(editorToServer.source());
        toServer = Channels.newOutputStream(editorToServer.sink());
        InputStream editorIn = Channels.newInputStream(serverToEditor.source());
        OutputStream fromServer = Channels.newOutputStream(serverToEditor.sink());
        sidecar = Sidecar.start(
                new Sidecar.Options(
                        configFile,
                        overrides,
                        new ConfigLoader(name -> null),
                        null,
                        null,
                        1,
                        new ClaudeSettings(
                                new ClaudePaths(claudeSettings, null), new ConfigPaths(directory.resolve("ccr"))),
                        keyTimeout,
                        null),
                serverIn,
                fromServer);
        Launcher<CcrServer> launcher = CcrLauncher.clientLauncher(editor, editorIn, toServer, executor);
        launcher.startListening();
        server = launcher.getRemoteProxy();
    }

    /** A sidecar whose proxy listens on a free port, whatever the config says. */
    static SidecarHarness start(String config) throws IOException {
        return new SidecarHarness(config, new Overrides(0, null, false), Duration.ofSeconds(5));
    }

    static SidecarHarness start(String config, Duration keyTimeout) throws IOException {
        return new SidecarHarness(config, new Overrides(0, null, false), keyTimeout);
    }

    /** A sidecar whose proxy listens where the config says. */
    static SidecarHarness startOnConfiguredPort(String config) throws IOException {
        return new SidecarHarness(config, Overrides.NONE, Duration.ofSeconds(5));
    }

    InitializeResult initialize() throws Exception {
        return initialize(new ClientCapabilities(true, true, true));
    }

    InitializeResult initialize(ClientCapabilities capabilities) throws Exception {
        return server.initialize(new InitializeParams(
                        ProtocolVersion.CURRENT, "test", "1", capabilities, List.of(directory.toString()), null))
                .get(20, TimeUnit.SECONDS);
    }

    String config() {
        try {
            return Files.readString(configFile, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Closes the editor's end of the connection, as an editor that goes away does. */
    void closeInput() throws IOException {
        toServer.close();
    }

    @Override
    public void close() throws Exception {
        closeInput();
        sidecar.exited().get(10, TimeUnit.SECONDS);
        executor.shutdownNow();
    }
}
