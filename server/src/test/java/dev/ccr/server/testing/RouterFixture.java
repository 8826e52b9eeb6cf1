package dev.ccr.server.testing;

import dev.ccr.server.config.ConfigLoader;
import dev.ccr.server.config.Overrides;
import dev.ccr.server.runtime.RouterRuntime;
import dev.ccr.server.upstream.EndpointCredentials;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.Function;

/**
 * A real router on 127.0.0.1 and a free port, started from config text exactly as a user would write it. The config
 * file lives in a temporary directory, so tests can edit it and watch hot reload.
 */
public final class RouterFixture implements AutoCloseable {
    private final Path directory;
    private final Path configFile;
    private final RouterRuntime runtime;

    private RouterFixture(Path directory, Path configFile, RouterRuntime runtime) {
        this.directory = directory;
        this.configFile = configFile;
        this.runtime = runtime;
    }

    /** Starts a router on this config (its {@code port} is forced to 0), without watching the file. */
    public static RouterFixture start(String configJson) {
        return start(configJson, Map.of(), false);
    }

    /**
     * Starts a router.
     *
     * @param environment what {@code ${ENV}} references resolve to
     * @param watch whether to watch the config file for changes
     */
    public static RouterFixture start(String configJson, Map<String, String> environment, boolean watch) {
        try {
            return start(configJson, environment, watch, Files.createTempDirectory("ccr-test"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts a router whose files (config, request log, usage database) live in {@code directory}. */
    public static RouterFixture start(
            String configJson, Map<String, String> environment, boolean watch, Path directory) {
        try {
            Path file = directory.resolve("config.json");
            Files.writeString(file, configJson, StandardCharsets.UTF_8);
            Function<String, String> env = environment::get;
            ConfigLoader loader = new ConfigLoader(env);
            Overrides overrides = new Overrides(0, null, false);
            var loaded = loader.load(file, overrides);
            RouterRuntime runtime = RouterRuntime.start(
                    loaded.config(),
                    new RouterRuntime.Options(
                            file,
                            overrides,
                            loader,
                            watch,
                            null,
                            "test",
                            1,
                            EndpointCredentials.CONFIG_ONLY,
                            directory.resolve("home")));
            return new RouterFixture(directory, file, runtime);
        } catch (Exception e) {
            throw new IllegalStateException("router did not start: " + e.getMessage(), e);
        }
    }

    /** A config with one Anthropic endpoint named {@code anthropic} at {@code baseUrl}, and optional extras. */
    public static String anthropicConfig(String baseUrl, String apiKey) {
        return """
                {
                  "endpoints": [
                    { "name": "anthropic", "type": "anthropic", "baseUrl": "%s"%s }
                  ]
                }
                """
                .formatted(baseUrl, apiKey == null ? "" : ", \"apiKey\": \"" + apiKey + "\"");
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + runtime.port();
    }

    public int port() {
        return runtime.port();
    }

    public RouterRuntime runtime() {
        return runtime;
    }

    public Path configFile() {
        return configFile;
    }

    /** The router's own directory (request log, usage database), inside the fixture's temporary directory. */
    public Path home() {
        return directory.resolve("home");
    }

    /** Replaces the config file's text in one atomic step, as editors do. */
    public void rewriteConfig(String configJson) {
        try {
            Path temp = Files.createTempFile(directory, "config", ".tmp");
            Files.writeString(temp, configJson, StandardCharsets.UTF_8);
            Files.move(
                    temp,
                    configFile,
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        runtime.stop(Duration.ofSeconds(2));
    }
}
