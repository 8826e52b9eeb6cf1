package dev.ccr.server.config;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** The circuit breaker every endpoint has, as written. */
@JsonClassDescription("Circuit breaker per endpoint: after repeated failures (connection errors, timeouts, 5xx other"
        + " than 529, broken streams; never 429 or 529, which say busy, not broken) an endpoint is skipped for a"
        + " cool-down while another target can serve, then one request probes it. A route is never left empty: when"
        + " every target is open, the one whose cool-down ends first gets the request.")
public record BreakerConfig(
        @JsonPropertyDescription("Whether endpoints are ever skipped (default true).") Boolean enabled,
        @JsonPropertyDescription("Open after this many failures in a row (default 5).") Integer consecutiveFailures,
        @JsonPropertyDescription(
                        "Or open when at least this percentage of the last 'window' requests failed" + " (default 50).")
                Integer failureRatePercent,
        @JsonPropertyDescription("How many recent requests the failure rate looks at (default 20).") Integer window,
        @JsonPropertyDescription("How long an open circuit skips the endpoint before a probe (default 30000); doubled"
                        + " each time the probe fails.")
                Integer coolDownMs,
        @JsonPropertyDescription("Longest cool-down (default 300000).") Integer maxCoolDownMs) {}
