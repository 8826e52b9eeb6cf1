package dev.ccr.server.config;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** The response cache. */
@JsonClassDescription("Response cache for identical requests.")
public record CacheConfig(
        @JsonPropertyDescription("Cache complete successful answers (default false).") Boolean enabled,
        @JsonPropertyDescription("Seconds an answer stays cached (default 3600).") Integer ttl) {}
