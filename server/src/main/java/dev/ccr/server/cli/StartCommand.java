package dev.ccr.server.cli;

import dev.ccr.server.Version;
import dev.ccr.server.config.ConfigException;
import dev.ccr.server.config.ConfigLoader;
import dev.ccr.server.config.ConfigPaths;
import dev.ccr.server.config.EffectiveConfig;
import dev.ccr.server.runtime.RouterRuntime;
import dev.ccr.server.runtime.RunStateFiles;
import dev.ccr.server.upstream.EndpointCredentials;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
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
            "Without a config file it runs on defaults: one Anthropic endpoint that forwards your own key."
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
        if (daemon) {
            return new Daemon(paths).start(childArguments(), config, System.out, System.err);
        }
        if (!config.fromFile()) {
            System.err.println("ccr: no config file at " + file + "; running on defaults (one Anthropic endpoint that"
                    + " forwards your own key). Create that file to add endpoints; it is picked up without a restart.");
        }
        RouterRuntime.logWarnings(loaded.warnings());
        RouterRuntime runtime;
        try {
            runtime = RouterRuntime.start(
                    config,
                    new RouterRuntime.Options(
                            file,
                            options.overrides(),
                            ConfigLoader.fromSystemEnvironment(),
                            true,
                            new RunStateFiles(paths.runDirectory()),
                            "start",
                            eventLoops(),
                            EndpointCredentials.CONFIG_ONLY,
                            paths.home()));
        } catch (RouterRuntime.StartException e) {
            System.err.println("ccr: " + e.getMessage());
            return ExitCodes.FAILURE;
        }
        System.out.println("ccr " + Version.current() + " listening on " + runtime.baseUrl() + " (endpoints: "
                + String.join(", ", runtime.runState().endpoints()) + "; default: " + config.defaultEndpoint() + ")");
        System.out.println("Use it from a shell:  eval \"$(ccr env)\" && claude     or simply:  ccr code");
        System.out.flush();

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            runtime.stop(Duration.ofSeconds(drainSeconds));
                            stopped.countDown();
                        },
                        "ccr-shutdown"));
        stopped.await();
        return ExitCodes.OK;
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
