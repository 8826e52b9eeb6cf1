package dev.ccr.server.cli;

import dev.ccr.server.claude.ClientEnvironment;
import dev.ccr.server.config.ConfigException;
import dev.ccr.server.config.ConfigLoader;
import dev.ccr.server.config.ConfigPaths;
import dev.ccr.server.config.EffectiveConfig;
import dev.ccr.server.runtime.RunState;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code ccr code [claude args…]}: makes sure a router runs, then runs Claude Code pointed at it. The variables are
 * set for that one process only; the user's shell and settings files stay as they were.
 */
@Command(
        name = "code",
        mixinStandardHelpOptions = true,
        versionProvider = CcrCommand.VersionProvider.class,
        description = {
            "Run Claude Code through the router, starting the router in the background if it is not running.",
            "Arguments after 'code' go to claude, e.g.  ccr code -p \"explain this repo\"",
            "ccr's own options come first and only in long form; use -- before claude arguments that clash."
        })
final class CodeCommand implements Callable<Integer> {
    // Long names only: claude's own short options (-p for print, -c for continue, -d for debug) must reach claude.
    @Option(
            names = "--config",
            paramLabel = "FILE",
            description = "Config file (default ~/.claude-code-router/config.json).")
    Path config;

    @Option(names = "--port", paramLabel = "N", description = "Router port; overrides the config.")
    Integer port;

    @Option(names = "--host", paramLabel = "HOST", description = "Router address; overrides the config.")
    String host;

    @Option(names = "--router-debug", description = "Start the router at debug level if it must be started.")
    boolean debug;

    @Parameters(arity = "0..*", paramLabel = "CLAUDE_ARGS", description = "Arguments passed to claude.")
    List<String> claudeArguments = new ArrayList<>();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        ConfigOptions options = new ConfigOptions();
        options.config = config;
        options.port = port;
        options.host = host;
        options.debug = debug;
        options.validate(spec);
        ConfigPaths paths = ConfigPaths.fromEnvironment();
        ConfigLoader.Loaded loaded;
        try {
            loaded = options.load(paths);
        } catch (ConfigException e) {
            System.err.println("ccr: the config has problems:\n" + e.getMessage());
            return ExitCodes.FAILURE;
        }
        EffectiveConfig config = loaded.config();
        Optional<Path> claude = findClaude();
        if (claude.isEmpty()) {
            System.err.println("ccr: cannot find the 'claude' command on PATH; install Claude Code with"
                    + " 'npm install -g @anthropic-ai/claude-code' (or set CCR_CLAUDE to its path)");
            return ExitCodes.NO_CLAUDE;
        }
        Daemon daemon = new Daemon(paths);
        Optional<RunState> running = daemon.runningOn(config.port());
        if (running.isEmpty()) {
            System.err.println("ccr: starting the router in the background…");
            running = daemon.launch(options.asArguments(), config, System.err);
            if (running.isEmpty()) {
                return ExitCodes.FAILURE;
            }
        }
        ClientEnvironment client = ClientEnvironment.of(config, running);
        List<String> command = new ArrayList<>();
        command.add(claude.get().toString());
        command.addAll(claudeArguments);
        ProcessBuilder builder = new ProcessBuilder(command).inheritIO();
        Map<String, String> environment = builder.environment();
        environment.put("ANTHROPIC_BASE_URL", client.baseUrl());
        environment.put("ANTHROPIC_AUTH_TOKEN", client.tokenFor(environment.get("ANTHROPIC_AUTH_TOKEN")));
        // Request-class hints, and what Claude Code turns off behind a gateway when the default route is all
        // Anthropic; a value already in the environment is the user's choice and stays.
        client.features().forEach(environment::putIfAbsent);
        // Ctrl-C belongs to claude (it clears the prompt); this JVM must outlive it to pass on its exit status.
        ignoreInterrupts();
        Process process = builder.start();
        return process.waitFor();
    }

    static Optional<Path> findClaude() {
        String explicit = System.getenv("CCR_CLAUDE");
        if (explicit != null && !explicit.isBlank()) {
            Path path = Path.of(explicit);
            return Files.isExecutable(path) ? Optional.of(path) : Optional.empty();
        }
        String pathVariable = System.getenv("PATH");
        if (pathVariable == null) {
            return Optional.empty();
        }
        for (String directory : pathVariable.split(File.pathSeparator)) {
            if (directory.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(directory, "claude");
            if (Files.isExecutable(candidate) && !Files.isDirectory(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    @SuppressWarnings("restriction")
    private static void ignoreInterrupts() {
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("INT"), sun.misc.SignalHandler.SIG_IGN);
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            // No SIGINT on this platform: nothing to ignore.
        }
    }
}
