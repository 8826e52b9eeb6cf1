package dev.ccr.server.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The configuration the router runs with: the file (or built-in defaults) with defaults filled in, references
 * resolved and command-line overrides applied. Immutable; a reload builds a new one.
 *
 * @param file the config file this came from; it may not exist (then {@code fromFile} is false)
 * @param routes scenario routes that are set (DESIGN §3)
 * @param rules user routing rules, in order
 */
public record EffectiveConfig(
        Path file,
        boolean fromFile,
        int port,
        String host,
        LogLevel logLevel,
        List<Endpoint> endpoints,
        String defaultEndpoint,
        Cache cache,
        Auth auth,
        long maxBodyBytes,
        Log log,
        List<Price> pricing,
        Map<Scenario, RouteRef> routes,
        List<Rule> rules,
        int longContextThreshold) {

    public static final int DEFAULT_PORT = 3000;
    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_MAX_BODY_MB = 32;
    public static final Duration DEFAULT_CACHE_TTL = Duration.ofHours(1);
    public static final int DEFAULT_LONG_CONTEXT_THRESHOLD = 60_000;

    public Optional<Endpoint> endpoint(String name) {
        return endpoints.stream().filter(e -> e.name().equals(name)).findFirst();
    }

    /** The response cache settings. */
    public record Cache(boolean enabled, Duration ttl) {}

    /** Access control, resolved. */
    public record Auth(
            List<Token> tokens, boolean allowClientKeys, Set<String> allowedHosts, Set<String> allowedOrigins) {
        public boolean requiresToken() {
            return !tokens.isEmpty();
        }
    }

    /**
     * The request log and the usage history.
     *
     * @param requests whether to write the request log
     * @param bodies whether the request log carries (redacted) bodies
     * @param maxBodyBytes how much of each body to log
     * @param maxFileBytes the size at which a request log file is rotated
     * @param maxFiles how many rotated request log files to keep
     * @param retention how long rotated request log files are kept
     * @param usageRetention how long per-request rows stay in the usage database
     */
    public record Log(
            boolean requests,
            boolean bodies,
            int maxBodyBytes,
            long maxFileBytes,
            int maxFiles,
            Duration retention,
            Duration usageRetention) {
        public static final Log DEFAULTS =
                new Log(true, false, 64 * 1024, 20L * 1024 * 1024, 20, Duration.ofDays(14), Duration.ofDays(90));
    }

    /**
     * A price from the config, in US dollars per million tokens.
     *
     * @param endpoint the endpoint it applies to, or {@code null} for any
     * @param model the model id or glob ({@code *}, {@code ?}) it applies to
     */
    public record Price(
            String endpoint, String model, double input, double output, double cacheWrite, double cacheRead) {}

    /** A router token; {@code secret} prints as {@code ***}. */
    public record Token(String name, Secret secret) {}
}
