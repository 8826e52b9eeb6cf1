package dev.ccr.server.config;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** Deadlines and a cap for the connections clients open to the router, as written. */
@JsonClassDescription("Client connections to the router: how long a client may take to send a request, and how many"
        + " connections may be open at once. A connection past a deadline is closed; in-flight answers are not"
        + " affected (upstream waits are bound by timeouts).")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ConnectionsConfig(
        @JsonPropertyDescription("Longest time from a request's first byte to the end of its headers (default 10000).")
                Integer headerTimeoutMs,
        @JsonPropertyDescription(
                        "Longest a request body may take to deliver its next KiB: silence, or a body trickled a"
                                + " few bytes at a time, is cut off (default 30000).")
                Integer bodyIdleTimeoutMs,
        @JsonPropertyDescription(
                        "Longest a connection may stay open with no request on it, between requests (default 120000).")
                Integer idleTimeoutMs,
        @JsonPropertyDescription("Most client connections open at once; beyond, new ones get 503 and are closed"
                        + " (default 1000).")
                Integer maxOpen) {}
