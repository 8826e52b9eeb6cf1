package dev.ccr.server.cli;

import dev.ccr.server.config.ConfigPaths;
import dev.ccr.server.files.AtomicFiles;
import dev.ccr.server.runtime.RunState;
import dev.ccr.server.runtime.RunStateFiles;
import dev.ccr.server.service.LaunchdAgent;
import dev.ccr.server.service.ServiceDefinition;
import dev.ccr.server.service.ServiceLauncher;
import dev.ccr.server.service.ServicePlatform;
import dev.ccr.server.service.SystemdUserUnit;
import dev.ccr.server.service.WindowsTask;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ccr service install|uninstall|status}: registers the router to start at login with the platform's service
 * manager (a systemd user unit, a launchd agent, a scheduled task), so that Claude Code routed through it always finds
 * it, whether or not an editor runs.
 */
@Command(
        name = "service",
        mixinStandardHelpOptions = true,
        versionProvider = CcrCommand.VersionProvider.class,
        description = {
            "Start the router at login: a systemd user unit (Linux), a launchd agent (macOS) or a scheduled task"
                    + " (Windows).",
            "VS Code windows attach to it, and Claude Code in a terminal finds it whether or not VS Code runs."
        },
        subcommands = {ServiceCommand.Install.class, ServiceCommand.Uninstall.class, ServiceCommand.Status.class})
final class ServiceCommand implements Runnable {
    private static final long COMMAND_TIMEOUT_SECONDS = 60;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The service manager of this machine. */
    static ServicePlatform platform(ConfigPaths paths, Map<String, String> env) {
        String os = System.getProperty("os.name", "");
        Path home = ConfigPaths.userHome();
        if (os.startsWith("Windows")) {
            String domain = env.getOrDefault("USERDOMAIN", "");
            String user = System.getProperty("user.name");
            return new WindowsTask(paths.home(), domain.isEmpty() ? user : domain + "\\" + user);
        }
        if (os.startsWith("Mac")) {
            return new LaunchdAgent(home, uid(home));
        }
        String xdg = env.get("XDG_CONFIG_HOME");
        return new SystemdUserUnit(xdg != null && xdg.startsWith("/") ? Path.of(xdg) : home.resolve(".config"));
    }

    private static long uid(Path home) {
        try {
            return ((Number) Files.getAttribute(home, "unix:uid")).longValue();
        } catch (IOException | UnsupportedOperationException e) {
            throw new IllegalStateException("cannot tell this user's id: " + e.getMessage(), e);
        }
    }

    /** Runs a service manager's command, echoing it; the outcome and what it printed. */
    static Ran run(List<String> command, PrintStream out) throws InterruptedException {
        out.println("  $ " + String.join(" ", command));
        Path output = null;
        try {
            // Into a file rather than read while it runs: a manager that hangs must still meet the timeout below.
            output = Files.createTempFile("ccr-service", ".out");
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(output.toFile())
                    .start();
            process.getOutputStream().close();
            if (!process.waitFor(COMMAND_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return new Ran(false, "did not finish within " + COMMAND_TIMEOUT_SECONDS + " s");
            }
            return new Ran(
                    process.exitValue() == 0,
                    new String(Files.readAllBytes(output), java.nio.charset.StandardCharsets.UTF_8).strip());
        } catch (IOException e) {
            return new Ran(false, "cannot run " + command.get(0) + ": " + e.getMessage());
        } finally {
            if (output != null) {
                try {
                    Files.deleteIfExists(output);
                } catch (IOException ignored) {
                    // a temporary file; the system cleans its temporary folder
                }
            }
        }
    }

    record Ran(boolean ok, String output) {}

    @Command(
            name = "install",
            mixinStandardHelpOptions = true,
            description = "Write the service definition, register it for your login and start the router now.")
    static final class Install implements Callable<Integer> {
        @Option(
                names = {"-c", "--config"},
                paramLabel = "FILE",
                description = "The config file the service's router uses (default: ~/.claude-code-router/config.json).")
        Path config;

        @Option(names = "--print", description = "Only print the definition this machine would get; change nothing.")
        boolean print;

        @Override
        public Integer call() throws Exception {
            ConfigPaths paths = ConfigPaths.fromEnvironment();
            Map<String, String> env = System.getenv();
            ServicePlatform platform = platform(paths, env);
            List<String> startArguments = new ArrayList<>();
            if (config != null) {
                startArguments.add("--config");
                startArguments.add(config.toAbsolutePath().normalize().toString());
            }
            ServiceDefinition definition = ServiceLauncher.definition(
                    startArguments, env, paths.logDirectory().resolve("service.log"), platform instanceof WindowsTask);
            String text = platform.render(definition);
            if (print) {
                System.out.print(text);
                return ExitCodes.OK;
            }
            Path file = platform.file();
            if (Files.exists(file)) {
                // Installed before: the manager keeps running (or refuses to load again) what it registered then, so
                // it is unregistered first, failures aside, and the new definition takes effect now.
                for (List<String> command : platform.uninstall()) {
                    run(command, System.out);
                }
            }
            Files.createDirectories(file.getParent());
            Files.createDirectories(paths.logDirectory());
            AtomicFiles.write(file, text.getBytes(platform.charset()), null);
            System.out.println("wrote " + file);
            for (List<String> command : platform.install()) {
                Ran ran = run(command, System.out);
                if (!ran.ok()) {
                    System.err.println("ccr: " + platform.manager() + " refused: " + ran.output());
                    System.err.println("ccr: the definition is in " + file + "; register it by hand with the command"
                            + " above, or remove it with 'ccr service uninstall'");
                    return ExitCodes.FAILURE;
                }
            }
            System.out.println("the router now starts at login (" + platform.manager() + "); see it with 'ccr service"
                    + " status', its log with " + platform.logs());
            return ExitCodes.OK;
        }
    }

    @Command(
            name = "uninstall",
            mixinStandardHelpOptions = true,
            description = "Stop the service's router and remove the service definition.")
    static final class Uninstall implements Callable<Integer> {
        @Override
        public Integer call() throws Exception {
            ServicePlatform platform = platform(ConfigPaths.fromEnvironment(), System.getenv());
            Path file = platform.file();
            if (!Files.exists(file)) {
                System.out.println("no ccr service is installed (" + file + " does not exist)");
                return ExitCodes.OK;
            }
            for (List<String> command : platform.uninstall()) {
                Ran ran = run(command, System.out);
                if (!ran.ok()) {
                    System.out.println("  (" + ran.output() + ")");
                }
            }
            Files.delete(file);
            System.out.println("removed " + file + "; the router no longer starts at login");
            return ExitCodes.OK;
        }
    }

    @Command(
            name = "status",
            mixinStandardHelpOptions = true,
            description = "Whether the service is installed and its router answers; exit status 3 when it does not.")
    static final class Status implements Callable<Integer> {
        @Override
        public Integer call() throws Exception {
            ConfigPaths paths = ConfigPaths.fromEnvironment();
            ServicePlatform platform = platform(paths, System.getenv());
            Path file = platform.file();
            if (!Files.exists(file)) {
                System.out.println(
                        "not installed (" + file + " does not exist); install it with 'ccr service install'");
                return ExitCodes.NOT_RUNNING;
            }
            System.out.println("installed: " + file + " (" + platform.manager() + ")");
            Ran ran = run(platform.status(), System.out);
            if (!ran.output().isEmpty()) {
                ran.output().lines().forEach(line -> System.out.println("  " + line));
            }
            List<RunState> answering = new RunStateFiles(paths.runDirectory())
                    .live().stream().filter(RouterProbe::answers).toList();
            if (answering.isEmpty()) {
                System.out.println("no router answers; see its log with " + platform.logs());
                return ExitCodes.NOT_RUNNING;
            }
            answering.forEach(state -> System.out.println(
                    "router answering on " + state.baseUrl() + " (pid " + state.pid() + ", " + state.mode() + ")"));
            return ExitCodes.OK;
        }
    }
}
