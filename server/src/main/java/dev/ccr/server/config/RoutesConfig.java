package dev.ccr.server.config;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/**
 * Scenario routing as written (DESIGN §3). Each value is a {@link RouteConfig}: {@code "endpoint,model"} or just
 * {@code "endpoint"} (the model is then mapped through that endpoint's modelMap), a list of those, or an object with
 * {@code targets} and a {@code strategy}.
 */
@JsonClassDescription("Scenario routing: where particular kinds of request go. Each value is \"endpoint,model\" (or"
        + " \"endpoint\"), a list of them tried in order, or {\"targets\": [...], \"strategy\": \"round-robin\"}."
        + " Checked in this order: longContext, image, webSearch, background, think; then default.")
public record RoutesConfig(
        @JsonPropertyDescription("Haiku-class model names (Claude Code's background and title requests).")
                RouteConfig background,
        @JsonPropertyDescription("Requests with thinking on (thinking.type enabled or adaptive).") RouteConfig think,
        @JsonPropertyDescription("Requests estimated above longContextThreshold input tokens.") RouteConfig longContext,
        @JsonPropertyDescription("Requests that offer a web_search tool.") RouteConfig webSearch,
        @JsonPropertyDescription("Requests that carry images.") RouteConfig image,
        @JsonProperty("default")
                @JsonPropertyDescription("Requests nothing else routed (default: defaultEndpoint). Give several"
                        + " targets here to fail over or balance the default route.")
                RouteConfig defaults) {}
