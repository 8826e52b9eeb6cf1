package dev.ccr.server.cli;

import dev.ccr.server.config.ConfigException;
import dev.ccr.server.config.ConfigLoader;
import dev.ccr.server.config.ConfigPaths;
import dev.ccr.server.config.Overrides;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** The options every command that reads the config shares. */
final class ConfigOptions {
    @Option(
            names = {"-c", "--config"},
            paramLabel = "FILE",
            description = "Config file (default: ~/.claude-code-router/config.json).")
    Path config;

    @Option(
            names = {"-p", "--port"},
            paramLabel = "N",
            description = "Port to listen on; overrides the config (default 3000).")
    Integer port;

    @Option(
            names = {"--host"},
            paramLabel = "HOST",
            description = "Address to bind; overrides the config (default 127.0.0.1).")
    String host;

    @Option(
            names = {"-d", "--debug"},
            description = "Log at debug level.")
    boolean debug;

    Path configFile(ConfigPaths paths) {
        return config != null ? config.toAbsolutePath() : paths.configFile();
    }

    Overrides overrides() {
        return new Overrides(port, host, debug);
    }

    /** Rejects what picocli's types cannot: a port out of range. */
    void validate(picocli.CommandLine.Model.CommandSpec spec) {
        if (port != null && (port < 0 || port > 65535)) {
            throw new picocli.CommandLine.ParameterException(
                    spec.commandLine(), "--port must be between 0 and 65535, got " + port);
        }
    }

    /** These options as {@code ccr start} arguments, for a router started in the background on the user's behalf. */
    List<String> asArguments() {
        List<String> args = new ArrayList<>();
        if (config != null) {
            args.add("--config=" + config.toAbsolutePath());
        }
        if (port != null) {
            args.add("--port=" + port);
        }
        if (host != null) {
            args.add("--host=" + host);
        }
        if (debug) {
            args.add("--debug");
        }
        return args;
    }

    ConfigLoader.Loaded load(ConfigPaths paths) throws ConfigException {
        return ConfigLoader.fromSystemEnvironment().load(configFile(paths), overrides());
    }
}
