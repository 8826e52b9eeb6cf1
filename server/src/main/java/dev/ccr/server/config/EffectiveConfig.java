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
 * @param defaultEndpoint the endpoint shown as the default: {@code defaultEndpoint}, else the first target of
 *     {@code routes.default}, else the first endpoint
 * @param routes scenario routes that are set (DESIGN §3)
 * @param rules user routing rules, in order
 * @param defaultRoute where requests go that nothing else routed
 * @param shared team mode (docs/TEAM.md), or {@code null}: this instance keeps its own state
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
        Map<Scenario, RouteSpec> routes,
        List<Rule> rules,
        int longContextThreshold,
        RouteSpec defaultRoute,
        Timeouts timeouts,
        Retry retry,
        Breaker breaker,
        Limits limits,
        Connections connections,
        Shared shared) {

    public static final int DEFAULT_PORT = 3000;
    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_MAX_BODY_MB = 32;
    public static final Duration DEFAULT_CACHE_TTL = Duration.ofHours(1);
    public static final long DEFAULT_CACHE_BYTES = 64L << 20;
    public static final int DEFAULT_LONG_CONTEXT_THRESHOLD = 60_000;

    public Optional<Endpoint> endpoint(String name) {
        return endpoints.stream().filter(e -> e.name().equals(name)).findFirst();
    }

    /**
     * The response cache settings.
     *
     * @param maxBytes what the cached answers may weigh in all
     */
    public record Cache(boolean enabled, Duration ttl, long maxBytes) {}

    /**
     * Upstream timeouts.
     *
     * @param firstByte streamed requests: until the upstream's status arrives
     * @param idle the longest silence while an answer is under way
     * @param total the longest a request may take, retries included; {@link Duration#ZERO} for no limit
     */
    public record Timeouts(Duration connect, Duration firstByte, Duration idle, Duration total) {
        public static final Timeouts DEFAULTS =
                new Timeouts(Duration.ofSeconds(10), Duration.ofSeconds(60), Duration.ofMinutes(5), Duration.ZERO);
    }

    /**
     * Retries and failover before the answer starts.
     *
     * @param maxAttempts upstream attempts per request across the route's targets; 1 turns retries off
     * @param maxRetryAfter the longest upstream {@code retry-after} the router waits out itself
     * @param budgetPercent how much retries may add to recent traffic
     */
    public record Retry(
            int maxAttempts, Duration initialBackoff, Duration maxBackoff, Duration maxRetryAfter, int budgetPercent) {
        public static final Retry DEFAULTS =
                new Retry(3, Duration.ofMillis(250), Duration.ofSeconds(4), Duration.ofSeconds(10), 20);
    }

    /**
     * The circuit breaker each endpoint has.
     *
     * @param consecutiveFailures failures in a row that open it
     * @param failureRatePercent the failure rate over the last {@code window} outcomes that opens it
     * @param coolDown how long it stays open before a probe; doubled after each failed probe, up to {@code maxCoolDown}
     */
    public record Breaker(
            boolean enabled,
            int consecutiveFailures,
            int failureRatePercent,
            int window,
            Duration coolDown,
            Duration maxCoolDown) {
        public static final Breaker DEFAULTS =
                new Breaker(true, 5, 50, 20, Duration.ofSeconds(30), Duration.ofMinutes(5));
    }

    /**
     * Rate, concurrency and token limits: per client, and per endpoint. Zero means no limit.
     *
     * @param maxConcurrent requests in flight at once
     * @param requestsPerMinute requests in any sliding minute
     * @param tokensPerMinute tokens (input estimated on arrival, corrected with the real usage) in any sliding minute
     */
    public record RateLimits(int maxConcurrent, int requestsPerMinute, long tokensPerMinute) {
        public static final RateLimits NONE = new RateLimits(0, 0, 0);

        public boolean none() {
            return maxConcurrent == 0 && requestsPerMinute == 0 && tokensPerMinute == 0;
        }
    }

    /**
     * What one client may use.
     *
     * @param dailyBudgetUsd US dollars per local day; 0 for no budget
     */
    public record ClientLimits(RateLimits rates, double dailyBudgetUsd) {
        public static final ClientLimits NONE = new ClientLimits(RateLimits.NONE, 0);

        public boolean none() {
            return rates.none() && dailyBudgetUsd == 0;
        }
    }

    /**
     * Flow control per client.
     *
     * @param defaults what every client may use
     * @param tokens what particular router tokens may use, by name (merged with the defaults)
     * @param queueWait how long a refused request may wait for a limit to free up; zero refuses at once
     * @param maxQueued how many requests may wait at once
     */
    public record Limits(ClientLimits defaults, Map<String, ClientLimits> tokens, Duration queueWait, int maxQueued) {
        public static final Limits NONE = new Limits(ClientLimits.NONE, Map.of(), Duration.ZERO, 100);

        /** What the client with this name (a router token's name, or {@code local}) may use. */
        public ClientLimits forClient(String name) {
            return tokens.getOrDefault(name, defaults);
        }
    }

    /**
     * Client connections to the router.
     *
     * @param headerTimeout from a request's first byte to the end of its headers
     * @param bodyIdleTimeout the longest a request body may take to deliver its next KiB
     * @param idleTimeout the longest a connection may stay open with no request on it
     * @param maxOpen most connections open at once
     */
    public record Connections(Duration headerTimeout, Duration bodyIdleTimeout, Duration idleTimeout, int maxOpen) {
        public static final Connections DEFAULTS =
                new Connections(Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofMinutes(2), 1000);
    }

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

    /**
     * Team mode: the Redis that instances share limits, budgets, breakers and the response cache through.
     *
     * @param keyPrefix the prefix of every key and channel used there
     * @param timeout the longest one Redis call may hold a request
     * @param caFile the certificate authority of a {@code rediss://} server with a private one, or {@code null}
     */
    public record Shared(RedisAddress redis, String keyPrefix, Duration timeout, Path caFile) {}

    /** A router token; {@code secret} prints as {@code ***}. */
    public record Token(String name, Secret secret) {}
}
