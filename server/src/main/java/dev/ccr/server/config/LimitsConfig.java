package dev.ccr.server.config;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Map;

/** Flow control per client as written; per-endpoint limits sit on each endpoint. */
@JsonClassDescription("Flow control per client (router token; 'local' without tokens). A refused request gets HTTP 429"
        + " with retry-after. Limits per endpoint are set on the endpoint (maxConcurrent, requestsPerMinute,"
        + " tokensPerMinute).")
public record LimitsConfig(
        @JsonProperty("default") @JsonPropertyDescription("Limits for every client, each counted separately.")
                ClientLimitsConfig defaults,
        @JsonPropertyDescription(
                        "Limits for particular router tokens, by token name; unset fields fall back to" + " 'default'.")
                Map<String, ClientLimitsConfig> tokens,
        @JsonPropertyDescription("Instead of refusing at once, let a request wait up to this long for a limit to free"
                        + " up (default 0: refuse at once). Does not apply to daily budgets.")
                Integer queueMs,
        @JsonPropertyDescription("Most requests waiting at once when queueMs is set (default 100); beyond, refuse.")
                Integer maxQueued) {}
