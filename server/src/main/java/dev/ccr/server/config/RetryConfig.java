package dev.ccr.server.config;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** Retries and failover as written. */
@JsonClassDescription("Retries and failover, only before the first byte reaches the client: on connection failures,"
        + " timeouts, HTTP 408, 409, 429, 5xx and 529, and an error event before any content. Clients that retry by"
        + " themselves (Claude Code, the official SDKs) get each target once instead, so retries never multiply.")
public record RetryConfig(
        @JsonPropertyDescription("Upstream attempts per request, across the route's targets (default 3; 1 turns"
                        + " retries and failover off). Failing over to another target is immediate; retrying the"
                        + " same target (only for clients that do not retry by themselves) waits a backoff or the"
                        + " upstream's retry-after.")
                Integer maxAttempts,
        @JsonPropertyDescription("First backoff before retrying the same target, doubled each time with jitter"
                        + " (default 250).")
                Integer initialBackoffMs,
        @JsonPropertyDescription("Longest backoff (default 4000).") Integer maxBackoffMs,
        @JsonPropertyDescription("Longest retry-after the router waits out itself; a longer one is passed to the"
                        + " client, which waits it (default 10000).")
                Integer maxRetryAfterMs,
        @JsonPropertyDescription("Retries may add at most this percentage to the requests of the last ten seconds,"
                        + " so a failing upstream is not hammered (default 20; at least 3 retries a second are always"
                        + " allowed).")
                Integer budgetPercent) {}
