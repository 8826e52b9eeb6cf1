package dev.ccr.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * ccr as users run it: the {@code server/ccr} launcher (so its JVM flags and its class-data archive or AOT cache are
 * what is measured) in a child process with a throw-away home, started on a given config.
 */
final class RouterProcess {
    private RouterProcess() {}

    /**
     * Starts the router and waits until it has answered a real request through the config's upstream.
     *
     * @param launcher the {@code server/ccr} script
     */
    static ChildServer start(Path launcher, String configJson) throws IOException, InterruptedException {
        Path home = Files.createTempDirectory("ccr-bench-home");
        Path config = home.resolve("config.json");
        Files.writeString(config, configJson);
        int port = ChildServer.freePort();
        Path log = home.resolve("router.log");
        ProcessBuilder builder = new ProcessBuilder(List.of(
                        launcher.toString(), "start", "--config", config.toString(), "--port", String.valueOf(port)))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().put("CCR_HOME", home.toString());
        try {
            return ChildServer.start(builder, port, log, home);
        } catch (IllegalStateException e) {
            // Kept for a look at its router.log.
            throw new IllegalStateException("ccr: " + e.getMessage(), e);
        }
    }
}
