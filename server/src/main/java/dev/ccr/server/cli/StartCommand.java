package dev.ccr.server.cli;

import dev.ccr.server.Version;
import dev.ccr.server.claude.ClaudePaths;
import dev.ccr.server.claude.ClaudeSettings;
import dev.ccr.server.config.ConfigException;
import dev.ccr.server.config.ConfigLoader;
import dev.ccr.server.config.ConfigPaths;
import dev.ccr.server.config.EffectiveConfig;
import dev.ccr.server.rpc.EditorCredentials;
import dev.ccr.server.rpc.Sidecar;
import dev.ccr.server.rpc.socket.EditorSocket;
import dev.ccr.server.runtime.LogbackSetup;
import dev.ccr.server.runtime.RouterRuntime;
import dev.ccr.server.runtime.RunStateFiles;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ccr start}: runs the router in the foreground (or, with {@code --daemon}, in the background). */
@Command(
        name = "start",
        mixinStandardHelpOptions = true,
        versionProvider = CcrCommand.VersionProvider.class,
        description = {
            "Start the router. Runs in the foreground until Ctrl-C or SIGTERM, then lets in-flight requests finish.",
            "Without a config file it runs on defaults: one Anthropic endpoint that forwards your own key.",
            "VS Code windows using the same config attach to it instead of starting routers of their own."
        })
final class StartCommand implements Callable<Integer> {
    @Mixin
    ConfigOptions options;

    @Option(
            names = "--daemon",
            description = "Run in the background, logging to ~/.claude-code-router/logs/; stop with 'ccr stop'.")
    boolean daemon;

    @Option(
            names = "--drain-timeout",
            paramLabel = "SECONDS",
            defaultValue = "10",
            description = "On shutdown, how long in-flight requests may take to finish (default ${DEFAULT-VALUE}).")
    int drainSeconds;

    @Option(
            names = "--log-file",
            paramLabel = "FILE",
            description = "Append the log to this file instead of stderr (for a service manager that keeps none).")
    Path logFile;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        options.validate(spec);
        if (drainSeconds < 0) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--drain-timeout must be >= 0");
        }
        ConfigPaths paths = ConfigPaths.fromEnvironment();
        Path file = options.configFile(paths);
        ConfigLoader.Loaded loaded;
        try {
            loaded = options.load(paths);
        } catch (ConfigException e) {
            System.err.println("ccr: cannot start, the config has problems:\n" + e.getMessage());
            return ExitCodes.FAILURE;
        }
        EffectiveConfig config = loaded.config();
        if (logFile != null && !daemon) {
            LogbackSetup.redirectToFile(logFile.toAbsolutePath());
        }
        if (daemon) {
            return new Daemon(paths).start(childArguments(), config, System.out, System.err);
        }
        if (!config.fromFile()) {
            System.err.println("ccr: no config file at " + file + "; running on defaults (one Anthropic endpoint that"
                    + " forwards your own key). Create that file to add endpoints; it is picked up without a restart.");
        }
        RouterRuntime.logWarnings(loaded.warnings());
        ConfigLoader loader = ConfigLoader.fromSystemEnvironment();
        RunStateFiles stateFiles = new RunStateFiles(paths.runDirectory());
        Sidecar router;
        try {
            router = Sidecar.standalone(
                    new Sidecar.Options(
                            file,
                            options.overrides(),
                            loader,
                            stateFiles,
                            paths.home(),
                            eventLoops(),
                            new ClaudeSettings(ClaudePaths.fromEnvironment(), paths),
                            EditorCredentials.TIMEOUT,
                            null),
                    credentials -> RouterRuntime.start(
                            config,
                            new RouterRuntime.Options(
                                    file,
                                    options.overrides(),
                                    loader,
                                    true,
                                    stateFiles,
                                    "start",
                                    eventLoops(),
                                    credentials,
                                    paths.home())));
        } catch (RouterRuntime.StartException e) {
            System.err.println("ccr: " + e.getMessage());
            return ExitCodes.FAILURE;
        }
        RouterRuntime runtime = router.runtime().orElseThrow();
        // Editors (VS Code windows) attach here rather than starting routers of their own.
        Optional<EditorSocket.Claim> claim = EditorSockets.claim(paths, file);
        if (claim.orElse(null) instanceof EditorSocket.Claim.Owned owned) {
            router.serve(owned.socket());
        } else if (claim.orElse(null) instanceof EditorSocket.Claim.Taken taken) {
            System.err.println("ccr: another ccr"
                    + taken.pid().stream()
                            .mapToObj(pid -> " (pid " + pid + ")")
                            .findFirst()
                            .orElse("") + " serves the editors of " + file + "; this one serves Claude Code only");
        }
        System.out.println("ccr " + Version.current() + " listening on " + runtime.baseUrl() + " (endpoints: "
                + String.join(", ", runtime.runState().endpoints()) + "; default: " + config.defaultEndpoint() + ")");
        System.out.println("Use it from a shell:  eval \"$(ccr env)\" && claude     or simply:  ccr code");
        System.out.flush();

        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> EditorSockets.stopOnSignal(router, Duration.ofSeconds(drainSeconds)), "ccr-shutdown"));
        return router.exited().get();
    }

    /** The arguments a background child gets: these, minus {@code --daemon}. */
    private List<String> childArguments() {
        List<String> args = new ArrayList<>(options.asArguments());
        args.add("--drain-timeout=" + drainSeconds);
        return args;
    }

    /** One event loop per core, at most two: a local router rarely has more than a handful of streams. */
    static int eventLoops() {
        return Math.max(1, Math.min(2, Runtime.getRuntime().availableProcessors()));
    }
}
