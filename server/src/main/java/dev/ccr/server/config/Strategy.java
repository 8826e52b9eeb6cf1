package dev.ccr.server.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Locale;

/** How a route with several targets picks the one to try first (docs/ROUTING.md, docs/RESILIENCE.md); the others are its fallbacks. */
public enum Strategy {
    /** The first available target in the order written; the rest only when it fails or is unavailable. */
    @JsonProperty("failover")
    FAILOVER,
    /** Each request starts at the next target in turn. */
    @JsonProperty("round-robin")
    ROUND_ROBIN,
    /** Like round-robin, but each endpoint gets a share of requests proportional to its {@code weight}. */
    @JsonProperty("weighted")
    WEIGHTED,
    /** The target whose endpoint has the fewest requests in flight (relative to its weight). */
    @JsonProperty("least-busy")
    LEAST_BUSY,
    /** The target whose endpoint answered fastest lately (moving average of time to first byte). */
    @JsonProperty("lowest-latency")
    LOWEST_LATENCY;

    /** The name written in the config. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
