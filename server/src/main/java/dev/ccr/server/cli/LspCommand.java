package dev.ccr.server.cli;

import dev.ccr.server.claude.ClaudePaths;
import dev.ccr.server.claude.ClaudeSettings;
import dev.ccr.server.config.ConfigLoader;
import dev.ccr.server.config.ConfigPaths;
import dev.ccr.server.rpc.EditorCredentials;
import dev.ccr.server.rpc.Sidecar;
import dev.ccr.server.runtime.RunStateFiles;
import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
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
            "Exits when stdin closes, on the protocol's exit, or when the parent process dies. Logs go to stderr."
        })
final class LspCommand implements Callable<Integer> {
    @Mixin
    ConfigOptions options;

    @Option(
            names = "--parent-pid",
            paramLabel = "PID",
            description = "Exit when this process ends (default: the process that started this one).")
    Long parentPid;

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
        ConfigPaths paths = ConfigPaths.fromEnvironment();
        Sidecar sidecar = Sidecar.start(
                new Sidecar.Options(
                        options.configFile(paths),
                        options.overrides(),
                        ConfigLoader.fromSystemEnvironment(),
                        new RunStateFiles(paths.runDirectory()),
                        paths.home(),
                        StartCommand.eventLoops(),
                        new ClaudeSettings(ClaudePaths.fromEnvironment(), paths),
                        EditorCredentials.TIMEOUT,
                        parent.orElse(null)),
                System.in,
                protocolOut);
        // 'ccr stop' and Ctrl-C end the sidecar like the editor would: proxy stopped, state file removed.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> sidecar.exit(0), "ccr-shutdown"));
        int status = sidecar.exited().get();
        LoggerFactory.getLogger(LspCommand.class).debug("exiting with status {}", status);
        return status;
    }
}
