package dev.ccr.server.config;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** The response cache. */
@JsonClassDescription("Response cache for identical requests (the per-request metadata and Claude Code's attribution"
        + " block aside). Only complete, successful answers are kept; a request with the header 'x-ccr-cache: bypass'"
        + " skips the lookup.")
public record CacheConfig(
        @JsonPropertyDescription("Cache complete successful answers (default false).") Boolean enabled,
        @JsonPropertyDescription("Seconds an answer stays cached (default 3600).") Integer ttl,
        @JsonPropertyDescription("Memory the cached answers may take, in MiB (default 64); the least used go first.")
                Integer maxSizeMB) {}
