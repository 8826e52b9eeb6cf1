package dev.ccr.server.cli;

import dev.ccr.server.config.ConfigException;
import dev.ccr.server.config.ConfigLoader;
import dev.ccr.server.config.ConfigPaths;
import dev.ccr.server.config.Endpoint;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code ccr config}: where the config lives, and whether it is valid, without starting anything. */
@Command(
        name = "config",
        mixinStandardHelpOptions = true,
        versionProvider = CcrCommand.VersionProvider.class,
        description = "Inspect the configuration.",
        subcommands = {ConfigCommand.Check.class, ConfigCommand.PathCommand.class})
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

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            options.validate(spec);
            ConfigPaths paths = ConfigPaths.fromEnvironment();
            Path file = options.configFile(paths);
            try {
                ConfigLoader.Loaded loaded = options.load(paths);
                var config = loaded.config();
                System.out.println(config.fromFile() ? file + ": valid" : file + ": not found; the defaults apply");
                System.out.println("listen:    http://" + config.host() + ":" + config.port());
                for (Endpoint endpoint : config.endpoints()) {
                    System.out.println("endpoint:  " + endpoint.name() + " ("
                            + endpoint.type().wireName() + ", "
                            + endpoint.baseUrl() + ", key: "
                            + (endpoint.apiKey() == null
                                    ? "client's own"
                                    : endpoint.apiKey().isAvailable() ? "set" : "MISSING")
                            + ")"
                            + (endpoint.name().equals(config.defaultEndpoint()) ? " default" : ""));
                }
                if (config.shared() != null) {
                    System.out.println("shared:    " + config.shared().redis().display() + " (team mode, key prefix "
                            + config.shared().keyPrefix() + ")");
                }
                loaded.warnings().forEach(w -> System.out.println("warning:   " + w.format()));
                return ExitCodes.OK;
            } catch (ConfigException e) {
                System.err.println(e.getMessage());
                return ExitCodes.FAILURE;
            }
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
}
