package dev.ccr.server.cli;

import dev.ccr.protocol.status.RouterLifetime;
import dev.ccr.server.claude.ClaudePaths;
import dev.ccr.server.claude.ClaudeSettings;
import dev.ccr.server.config.ConfigLoader;
import dev.ccr.server.config.ConfigPaths;
import dev.ccr.server.rpc.EditorCredentials;
import dev.ccr.server.rpc.Sidecar;
import dev.ccr.server.rpc.socket.EditorSocket;
import dev.ccr.server.runtime.RunStateFiles;
import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ccr lsp}: the editor's sidecar. The HTTP proxy runs as with {@code ccr start}, and the editor talks to it with
 * JSON-RPC (LSP framing) on standard input and output. Standard output carries nothing else: it is taken for the
 * protocol before anything can print, and {@code System.out} points at standard error from then on.
 */
@Command(
        name = "lsp",
        mixinStandardHelpOptions = true,
        versionProvider = CcrCommand.VersionProvider.class,
        description = {
            "Run as the editor's sidecar: the router plus JSON-RPC on stdin/stdout (started by the VS Code extension).",
            "Exits when stdin closes, on the protocol's exit, or when the parent process dies. Logs go to stderr.",
            "With --shared it also serves other editors on its local socket and outlives its own editor while they",
            "are attached, or while Claude Code is routed through it; exit status 4 when another router serves",
            "this config already (attach to its socket instead)."
        })
final class LspCommand implements Callable<Integer> {
    @Mixin
    ConfigOptions options;

    @Option(
            names = "--parent-pid",
            paramLabel = "PID",
            description = "Exit when this process ends (default: the process that started this one).")
    Long parentPid;

    @Option(
            names = "--shared",
            description = "Serve every editor of this config on the local socket; see docs/PROTOCOL.md.")
    boolean shared;

    @Option(
            names = "--linger",
            paramLabel = "SECONDS",
            defaultValue = "10",
            description = "With --shared: how long to wait, once the last editor has gone, for one to come back"
                    + " (a window reloading) before acting on it (default ${DEFAULT-VALUE}).")
    int lingerSeconds;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        // First thing: whatever prints to System.out from here on (a library, a stray println) would corrupt the
        // protocol, so the real stdout is kept for JSON-RPC alone and System.out becomes stderr.
        OutputStream protocolOut = new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16);
        System.setOut(new PrintStream(new FileOutputStream(FileDescriptor.err), true));
        options.validate(spec);

        Optional<ProcessHandle> parent = parentPid != null
                ? ProcessHandle.of(parentPid)
                : ProcessHandle.current().parent();
        if (parentPid != null && parent.filter(ProcessHandle::isAlive).isEmpty()) {
            System.err.println("ccr lsp: the parent process " + parentPid + " is not running; exiting");
            return ExitCodes.FAILURE;
        }
        if (lingerSeconds < 0) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--linger must be >= 0");
        }
        ConfigPaths paths = ConfigPaths.fromEnvironment();
        Path configFile = options.configFile(paths);
        Sidecar.Options sidecarOptions = new Sidecar.Options(
                configFile,
                options.overrides(),
                ConfigLoader.fromSystemEnvironment(),
                new RunStateFiles(paths.runDirectory()),
                paths.home(),
                StartCommand.eventLoops(),
                new ClaudeSettings(ClaudePaths.fromEnvironment(), paths),
                EditorCredentials.TIMEOUT,
                parent.orElse(null));
        EditorSocket socket = null;
        if (shared) {
            Optional<EditorSocket.Claim> claim = EditorSockets.claim(paths, configFile);
            if (claim.orElse(null) instanceof EditorSocket.Claim.Taken taken) {
                System.err.println("ccr lsp: another ccr"
                        + taken.pid().stream()
                                .mapToObj(pid -> " (pid " + pid + ")")
                                .findFirst()
                                .orElse("") + " serves the editors of " + configFile + " at " + taken.path()
                        + "; attach there");
                return ExitCodes.SERVED_ELSEWHERE;
            }
            socket = claim.map(c -> ((EditorSocket.Claim.Owned) c).socket()).orElse(null);
            sidecarOptions = sidecarOptions.withLifetime(
                    RouterLifetime.SHARED, Duration.ofSeconds(lingerSeconds), paths.logDirectory());
        }
        Sidecar sidecar = Sidecar.start(sidecarOptions, System.in, protocolOut);
        if (socket != null) {
            sidecar.serve(socket);
        }
        // 'ccr stop' and Ctrl-C end the sidecar like the editor would: proxy stopped, state file removed; editors
        // attached to a shared one are told, so that none of them starts another.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> EditorSockets.stopOnSignal(sidecar), "ccr-shutdown"));
        int status = sidecar.exited().get();
        LoggerFactory.getLogger(LspCommand.class).debug("exiting with status {}", status);
        return status;
    }
}
