package dev.ccr.server.service;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What a login service runs: the router, started the way the user installed it.
 *
 * @param command the program and its arguments, ending in {@code start} (and the config file, when one was given)
 * @param environment variables the service manager sets, since it does not read the user's shell profile:
 *     {@code JAVA_HOME} (so the Java found at install time is used), and {@code CCR_HOME} or {@code CLAUDE_CONFIG_DIR}
 *     when they were set
 * @param logFile where output goes when the service manager keeps no journal (launchd)
 */
public record ServiceDefinition(List<String> command, Map<String, String> environment, Path logFile) {
    public ServiceDefinition {
        command = List.copyOf(command);
        environment = Map.copyOf(environment);
    }
}
