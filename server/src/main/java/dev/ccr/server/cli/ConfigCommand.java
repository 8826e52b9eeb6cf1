package dev.ccr.server.cli;

import dev.ccr.server.config.ConfigException;
import dev.ccr.server.config.ConfigFormat;
import dev.ccr.server.config.ConfigLoader;
import dev.ccr.server.config.ConfigMigration;
import dev.ccr.server.config.ConfigPaths;
import dev.ccr.server.config.ConfigProblem;
import dev.ccr.server.config.EffectiveConfig;
import dev.ccr.server.config.Endpoint;
import dev.ccr.server.config.RouteSpec;
import dev.ccr.server.config.Scenario;
import dev.ccr.server.json.JsonPrinter;
import dev.ccr.server.json.JsonStyle;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ccr config}: where the config lives, whether it is valid, and turning a claude-code-router file into ccr's. */
@Command(
        name = "config",
        mixinStandardHelpOptions = true,
        versionProvider = CcrCommand.VersionProvider.class,
        description = "Inspect the configuration, or migrate a claude-code-router file to ccr's format.",
        subcommands = {ConfigCommand.Check.class, ConfigCommand.PathCommand.class, ConfigCommand.Migrate.class})
final class ConfigCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(
            name = "check",
            mixinStandardHelpOptions = true,
            description = "Validate the config file and show what it resolves to. Exit status 1 if it is invalid.")
    static final class Check implements Callable<Integer> {
        @Mixin
        ConfigOptions options;

        @Option(
                names = "--json",
                description = "Print the result as JSON: file, format, validity, problems (severity, file, line,"
                        + " column, path, message) and the resolved summary.")
        boolean json;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            options.validate(spec);
            ConfigPaths paths = ConfigPaths.fromEnvironment();
            Path file = options.configFile(paths);
            boolean exists = Files.exists(file);
            try {
                ConfigLoader.Loaded loaded = options.load(paths);
                if (json) {
                    print(ConfigReport.valid(
                            file, exists, exists ? loaded.format() : null, loaded.config(), loaded.warnings()));
                } else {
                    text(file, loaded);
                }
                return ExitCodes.OK;
            } catch (ConfigException e) {
                if (json) {
                    print(ConfigReport.invalid(file, exists, formatOf(file), e.problems()));
                } else {
                    System.err.println(e.getMessage());
                }
                return ExitCodes.FAILURE;
            }
        }

        private static void text(Path file, ConfigLoader.Loaded loaded) {
            EffectiveConfig config = loaded.config();
            System.out.println(
                    config.fromFile()
                            ? file + ": valid"
                                    + (loaded.format() == ConfigFormat.CLAUDE_CODE_ROUTER
                                            ? " (claude-code-router's format)"
                                            : "")
                            : file + ": not found; the defaults apply");
            System.out.println("listen:    http://" + config.host() + ":" + config.port());
            for (Endpoint endpoint : config.endpoints()) {
                System.out.println("endpoint:  " + endpoint.name() + " ("
                        + endpoint.type().wireName() + ", "
                        + endpoint.baseUrl() + ", key: "
                        + switch (ConfigReport.key(endpoint)) {
                            case "client" -> "client's own";
                            case "missing" -> "MISSING";
                            default -> ConfigReport.key(endpoint);
                        }
                        + (endpoint.proxy() == null ? "" : ", via " + endpoint.proxy())
                        + ")"
                        + (endpoint.name().equals(config.defaultEndpoint()) ? " default" : ""));
            }
            if (config.defaultRoute() != null) {
                System.out.println("route:     default -> " + config.defaultRoute());
            }
            for (Scenario scenario : Scenario.values()) {
                RouteSpec route = config.routes().get(scenario);
                if (route != null) {
                    System.out.println("route:     " + scenario.configName() + " -> " + route);
                }
            }
            if (config.shared() != null) {
                System.out.println("shared:    " + config.shared().redis().display() + " (team mode, key prefix "
                        + config.shared().keyPrefix() + ")");
            }
            loaded.warnings().forEach(w -> System.out.println("warning:   " + w.format()));
        }

        private static ConfigFormat formatOf(Path file) {
            try {
                return ConfigLoader.formatOf(Files.readAllBytes(file));
            } catch (IOException e) {
                return null;
            }
        }

        private static void print(com.fasterxml.jackson.databind.JsonNode report) {
            System.out.println(JsonPrinter.print(report, JsonStyle.DEFAULT, ""));
        }
    }

    @Command(name = "path", mixinStandardHelpOptions = true, description = "Print the config file's path.")
    static final class PathCommand implements Callable<Integer> {
        @Override
        public Integer call() {
            System.out.println(ConfigPaths.fromEnvironment().configFile());
            return ExitCodes.OK;
        }
    }

    @Command(
            name = "migrate",
            mixinStandardHelpOptions = true,
            description = {
                "Rewrite a claude-code-router config (Providers, Router, APIKEY, ...) in ccr's own format.",
                "The original is kept next to it as config.claude-code-router.json, and the new file is written only"
                        + " if it routes exactly as the original does."
            })
    static final class Migrate implements Callable<Integer> {
        @Option(
                names = {"-c", "--config"},
                paramLabel = "FILE",
                description = "Config file (default: ~/.claude-code-router/config.json).")
        Path config;

        @Option(names = "--dry-run", description = "Show what would change and the new file; write nothing.")
        boolean dryRun;

        @Override
        public Integer call() {
            Path file = config != null
                    ? config.toAbsolutePath()
                    : ConfigPaths.fromEnvironment().configFile();
            ConfigMigration.Result result;
            try {
                result = new ConfigMigration(System::getenv).migrate(file, dryRun);
            } catch (ConfigMigration.Refused e) {
                System.err.println("ccr: " + e.getMessage());
                return ExitCodes.FAILURE;
            }
            System.out.println(
                    (dryRun ? "Would migrate " : "Migrated ") + file + " from claude-code-router's format to ccr's:");
            System.out.println();
            int width = result.changes().stream()
                    .mapToInt(c -> c.written().length())
                    .max()
                    .orElse(0);
            result.changes().forEach(c -> System.out.println("  " + pad(c.written(), width) + "  ->  " + c.ccr()));
            if (!result.notCarried().isEmpty()) {
                System.out.println();
                System.out.println("Not carried over (ccr did not do these with the original either):");
                for (ConfigProblem problem : result.notCarried()) {
                    System.out.println("  " + problem.format());
                }
            }
            System.out.println();
            if (dryRun) {
                System.out.println("The new " + file.getFileName() + " would be:");
                System.out.println();
                System.out.print(result.text());
                System.out.println();
                System.out.println("Nothing was written (--dry-run).");
            } else {
                System.out.println(
                        "Wrote " + file + " in ccr's format; the original is kept as " + result.backup() + ".");
                System.out.println("A running ccr picks the new file up by itself and routes exactly as before.");
            }
            return ExitCodes.OK;
        }

        private static String pad(String text, int width) {
            return text + " ".repeat(Math.max(0, width - text.length()));
        }
    }
}
