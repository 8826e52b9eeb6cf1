package dev.ccr.server.config;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** What one client (router token) may use, as written; unset fields mean no limit. */
@JsonClassDescription("What one client may use. Unset fields: no limit (or, under 'tokens', the 'default' value).")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ClientLimitsConfig(
        @JsonPropertyDescription("Requests per minute (a sliding minute).") Integer requestsPerMinute,
        @JsonPropertyDescription("Tokens per minute: input (estimated when the request arrives) plus output.")
                Integer tokensPerMinute,
        @JsonPropertyDescription("Requests in flight at once.") Integer maxConcurrent,
        @JsonPropertyDescription("US dollars per local day, at the prices in the request log; once spent, requests"
                        + " are refused until midnight.")
                Double dailyBudgetUsd) {}
