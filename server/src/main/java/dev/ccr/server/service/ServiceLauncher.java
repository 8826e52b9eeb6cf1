package dev.ccr.server.service;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How the service starts the router: the way this very command was started. Through the {@code ccr} launcher script
 * when that is what ran (it tells its path in {@code ccr.launcher}): the script keeps finding the jar and the Java of
 * the install, and uses its class-data archive. Otherwise the Java running now with the jar running now, and the JVM
 * options given to it. On Windows it is {@code javaw.exe}, which opens no console window at logon.
 */
public final class ServiceLauncher {
    private ServiceLauncher() {}

    /** The launcher script's path, when {@code ccr} was started through it. */
    public static Optional<Path> launcherScript() {
        return Optional.ofNullable(System.getProperty("ccr.launcher"))
                .filter(p -> !p.isBlank())
                .map(Path::of)
                .filter(Files::isRegularFile)
                .map(p -> p.toAbsolutePath().normalize());
    }

    /**
     * The service's definition.
     *
     * @param startArguments what follows {@code start}: the config file, say
     * @param env this process's environment, for the variables the service must have too
     * @param logFile where a service manager without a journal sends output
     */
    public static ServiceDefinition definition(
            List<String> startArguments, Map<String, String> env, Path logFile, boolean windows) {
        List<String> command = new ArrayList<>();
        Optional<Path> script = windows ? Optional.empty() : launcherScript();
        if (script.isPresent()) {
            command.add(script.get().toString());
        } else {
            Path javaHome = Path.of(System.getProperty("java.home"));
            command.add(javaHome.resolve("bin")
                    .resolve(windows ? "javaw.exe" : "java")
                    .toString());
            command.addAll(jvmOptions());
            command.add("-jar");
            command.add(jar().toString());
        }
        command.add("start");
        command.addAll(startArguments);
        if (windows) {
            command.add("--log-file");
            command.add(logFile.toString());
        }
        Map<String, String> environment = new LinkedHashMap<>();
        // The service manager does not read the user's shell profile: keep the Java found now (SDKMAN, Homebrew…).
        environment.put("JAVA_HOME", System.getProperty("java.home"));
        for (String name : List.of("CCR_HOME", "CLAUDE_CONFIG_DIR", "CCR_JAVA_OPTS")) {
            String value = env.get(name);
            if (value != null && !value.isBlank()) {
                environment.put(name, value);
            }
        }
        return new ServiceDefinition(command, windows ? Map.of() : environment, logFile);
    }

    /** The JVM options this JVM was started with that shape the router (heap, collector, logging), not debugging ones. */
    private static List<String> jvmOptions() {
        return java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> a.startsWith("-X") || a.startsWith("-Dio.netty"))
                .filter(a -> !a.startsWith("-Xdebug")
                        && !a.startsWith("-Xrunjdwp")
                        && !a.startsWith("-XX:SharedArchiveFile"))
                .toList();
    }

    /** The jar this code runs from. */
    static Path jar() {
        try {
            return Path.of(ServiceLauncher.class
                            .getProtectionDomain()
                            .getCodeSource()
                            .getLocation()
                            .toURI())
                    .toAbsolutePath();
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException("cannot tell where ccr's jar is", e);
        }
    }
}
