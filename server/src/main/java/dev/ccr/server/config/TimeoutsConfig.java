package dev.ccr.server.config;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** Upstream timeouts as written, at the top level or per endpoint (where unset fields come from the top level). */
@JsonClassDescription("Upstream timeouts in milliseconds. A timeout before the answer reaches the client is retried"
        + " or failed over like any other failure; after that, the client gets an error event.")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TimeoutsConfig(
        @JsonPropertyDescription("Time to get a connection to the upstream (default 10000).") Integer connectMs,
        @JsonPropertyDescription("Streamed requests: time until the upstream starts answering, i.e. its status"
                        + " arrives (default 60000). A whole answer arrives at once, so only idleMs and totalMs bound"
                        + " non-streamed requests.")
                Integer firstByteMs,
        @JsonPropertyDescription("Longest silence from the upstream while an answer is under way (default 300000).")
                Integer idleMs,
        @JsonPropertyDescription("Longest a request may take in all, retries included (default: no limit).")
                Integer totalMs) {}
