package dev.ccr.server.config;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/**
 * Scenario routing as written (docs/ROUTING.md). Each value is a {@link RouteConfig}: {@code "endpoint,model"} or just
 * {@code "endpoint"} (the model is then mapped through that endpoint's modelMap), a list of those, or an object with
 * {@code targets} and a {@code strategy}.
 */
@JsonClassDescription("Scenario routing: where particular kinds of request go. Each value is \"endpoint,model\" (or"
        + " \"endpoint\"), a list of them tried in order, or {\"targets\": [...], \"strategy\": \"round-robin\"}."
        + " Checked in this order: compaction, longContext, image, webSearch, subagent, background, think; then"
        + " default.")
public record RoutesConfig(
        @JsonPropertyDescription("Claude Code's auxiliary requests (titles, summaries: request class \"auxiliary\");"
                        + " without the hint header, Haiku-class model names.")
                RouteConfig background,
        @JsonPropertyDescription("Requests with thinking on (thinking.type enabled or adaptive).") RouteConfig think,
        @JsonPropertyDescription("Requests estimated above longContextThreshold input tokens.") RouteConfig longContext,
        @JsonPropertyDescription("Requests that offer a web_search or web_fetch server tool.") RouteConfig webSearch,
        @JsonPropertyDescription("Requests that carry images.") RouteConfig image,
        @JsonPropertyDescription("Subagent turns (the Agent/Task tool): request class \"subagent\" or \"workflow\","
                        + " or an x-claude-code-agent-id header.")
                RouteConfig subagent,
        @JsonPropertyDescription("Conversation compaction (/compact and automatic): request class \"compaction\".")
                RouteConfig compaction,
        @JsonProperty("default")
                @JsonPropertyDescription("Requests nothing else routed (default: defaultEndpoint). Give several"
                        + " targets here to fail over or balance the default route.")
                RouteConfig defaults) {}
