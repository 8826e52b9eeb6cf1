package dev.ccr.server.cli;

import dev.ccr.protocol.claude.ClaudeKeyInfo;
import dev.ccr.protocol.claude.ClaudeModels;
import dev.ccr.protocol.claude.ClaudeSettingsResult;
import dev.ccr.protocol.claude.KeyState;
import dev.ccr.protocol.claude.SettingsOverride;
import dev.ccr.server.claude.ClaudePaths;
import dev.ccr.server.claude.ClaudeSettings;
import dev.ccr.server.claude.ClaudeSettingsException;
import dev.ccr.server.claude.ClientEnvironment;
import dev.ccr.server.config.ConfigException;
import dev.ccr.server.config.ConfigPaths;
import dev.ccr.server.json.Json;
import dev.ccr.server.runtime.RunState;
import dev.ccr.server.runtime.RunStateFiles;
import dev.ccr.server.service.ServiceLauncher;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ccr claude enable|disable|status}: points Claude Code at the router through its user settings file, and back,
 * with the same implementation the editor uses.
 */
@Command(
        name = "claude",
        mixinStandardHelpOptions = true,
        versionProvider = CcrCommand.VersionProvider.class,
        description = {
            "Point Claude Code at the router in its settings (~/.claude/settings.json, or under $CLAUDE_CONFIG_DIR).",
            "Only ccr's variables are written; 'disable' restores exactly what was there before."
        },
        subcommands = {ClaudeCommand.Enable.class, ClaudeCommand.Disable.class, ClaudeCommand.Status.class})
final class ClaudeCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** What every subcommand shares: which router, which projects, how to print. */
    abstract static class Base implements Callable<Integer> {
        @Mixin
        ConfigOptions options;

        @Option(
                names = "--project",
                paramLabel = "DIR",
                description = "Project folder whose .claude/settings*.json may override (default: the current one).")
        List<Path> projects = new ArrayList<>();

        @Option(names = "--json", description = "Print the result as JSON.")
        boolean json;

        @Spec
        CommandSpec spec;

        abstract ClaudeSettingsResult run(ClaudeSettings settings, ClientEnvironment target, List<Path> projects)
                throws ClaudeSettingsException;

        @Override
        public Integer call() {
            options.validate(spec);
            ConfigPaths paths = ConfigPaths.fromEnvironment();
            ClientEnvironment target;
            Optional<RunState> running;
            try {
                var config = options.load(paths).config();
                List<RunState> live = new RunStateFiles(paths.runDirectory()).live();
                running = live.stream().filter(s -> s.port() == config.port()).findFirst();
                if (running.isEmpty() && config.port() == 0) {
                    running = live.stream().findFirst(); // "any free port": whichever router runs
                }
                target = ClientEnvironment.of(config, running);
            } catch (ConfigException e) {
                System.err.println("ccr: the config has problems:\n" + e.getMessage());
                return ExitCodes.FAILURE;
            }
            List<Path> dirs = projects.isEmpty() ? List.of(Path.of("").toAbsolutePath()) : projects;
            ClaudeSettings settings = new ClaudeSettings(ClaudePaths.fromEnvironment(), paths);
            ClaudeSettingsResult result;
            try {
                result = run(settings, target, dirs);
            } catch (ClaudeSettingsException e) {
                System.err.println("ccr: " + e.getMessage());
                return ExitCodes.FAILURE;
            }
            boolean routedToNothing =
                    result.enabled() && !(this instanceof Disable) && !RouterProbe.answers(target.baseUrl());
            if (json) {
                System.out.println(Json.write(result));
            } else {
                print(result, System.out);
                if (routedToNothing) {
                    System.out.println("warning: Claude Code is routed to " + target.baseUrl() + ", but no router"
                            + " answers there, so every claude request fails. Fix it with one of:");
                    System.out.println("  ccr start --daemon        start a router now");
                    System.out.println("  ccr service install       start it now and at every login");
                    System.out.println("  ccr claude disable        turn routing off (restores your settings)");
                }
            }
            return routedToNothing && this instanceof Status ? ExitCodes.NOT_RUNNING : ExitCodes.OK;
        }
    }

    @Command(name = "enable", mixinStandardHelpOptions = true, description = "Route Claude Code through ccr.")
    static final class Enable extends Base {
        @Option(names = "--model", paramLabel = "ID", description = "ANTHROPIC_MODEL: force the main model.")
        String model;

        @Option(names = "--opus-model", paramLabel = "ID", description = "ANTHROPIC_DEFAULT_OPUS_MODEL.")
        String opusModel;

        @Option(names = "--sonnet-model", paramLabel = "ID", description = "ANTHROPIC_DEFAULT_SONNET_MODEL.")
        String sonnetModel;

        @Option(
                names = "--haiku-model",
                paramLabel = "ID",
                description = "ANTHROPIC_DEFAULT_HAIKU_MODEL (background tasks), e.g. glm,glm-4.5-air.")
        String haikuModel;

        @Option(names = "--small-fast-model", paramLabel = "ID", description = "ANTHROPIC_SMALL_FAST_MODEL.")
        String smallFastModel;

        @Option(
                names = "--no-statusline",
                description = "Do not set Claude Code's status line to 'ccr statusline' (it is set only where you"
                        + " have none).")
        boolean noStatusline;

        @Override
        ClaudeSettingsResult run(ClaudeSettings settings, ClientEnvironment target, List<Path> projects)
                throws ClaudeSettingsException {
            return settings.enable(
                    target,
                    new ClaudeModels(model, opusModel, sonnetModel, haikuModel, smallFastModel),
                    projects,
                    noStatusline ? null : statusLineCommand());
        }
    }

    /**
     * How Claude Code can run {@code ccr statusline}: through the launcher that started this command (it says where
     * it is in {@code ccr.launcher}), else through this jar with this Java.
     */
    static String statusLineCommand() {
        Optional<Path> launcher = ServiceLauncher.launcherScript();
        if (launcher.isPresent() && java.nio.file.Files.isExecutable(launcher.get())) {
            return shellQuoted(launcher.get().toString()) + " statusline";
        }
        try {
            Path jar = Path.of(ClaudeCommand.class
                    .getProtectionDomain()
                    .getCodeSource()
                    .getLocation()
                    .toURI());
            Path java = Path.of(System.getProperty("java.home"), "bin", "java");
            return shellQuoted(java.toString()) + " -jar " + shellQuoted(jar.toString()) + " statusline";
        } catch (java.net.URISyntaxException | RuntimeException e) {
            return "ccr statusline";
        }
    }

    /** A word for {@code sh}: plain when it is safe, single-quoted otherwise. */
    static String shellQuoted(String word) {
        return word.matches("[A-Za-z0-9_./:+-]+") ? word : "'" + word.replace("'", "'\\''") + "'";
    }

    @Command(
            name = "disable",
            mixinStandardHelpOptions = true,
            description = "Stop routing: restore what ccr replaced (keys you changed since stay as you set them).")
    static final class Disable extends Base {
        @Override
        ClaudeSettingsResult run(ClaudeSettings settings, ClientEnvironment target, List<Path> projects)
                throws ClaudeSettingsException {
            return settings.disable(target, projects);
        }
    }

    @Command(
            name = "status",
            mixinStandardHelpOptions = true,
            description = {
                "Show what is set, which file wins, and project files that override ccr's values.",
                "Exit status 3 when Claude Code is routed to ccr but no router answers."
            })
    static final class Status extends Base {
        @Override
        ClaudeSettingsResult run(ClaudeSettings settings, ClientEnvironment target, List<Path> projects)
                throws ClaudeSettingsException {
            return settings.status(target, projects);
        }
    }

    static void print(ClaudeSettingsResult result, PrintStream out) {
        out.println(result.message());
        out.println("settings:  " + result.settingsFile());
        for (ClaudeKeyInfo key : result.keys()) {
            String value = key.state() == KeyState.ABSENT ? "(not set)" : key.value() == null ? "***" : key.value();
            String who =
                    switch (key.state()) {
                        case ROUTER -> "set by ccr";
                        case USER -> "yours";
                        case ABSENT -> "";
                    };
            String wins = key.effectiveScope() == null || key.effectiveFile().equals(result.settingsFile())
                    ? ""
                    : "; " + key.effectiveFile() + " wins";
            out.printf(
                    "  %-31s %s%s%n",
                    key.name(), value, who.isEmpty() && wins.isEmpty() ? "" : "  (" + who + wins + ")");
        }
        for (SettingsOverride override : result.overrides()) {
            out.println("override:  " + override.file() + " sets " + override.key()
                    + (override.sameAsRouter() ? " to the same value" : " to another value, which wins there"));
        }
    }
}
