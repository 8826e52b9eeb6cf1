package dev.ccr.server.config;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/**
 * Scenario routing as written (DESIGN §3). Each value is {@code "endpoint,model"} or just {@code "endpoint"} (the
 * model is then mapped through that endpoint's modelMap).
 */
@JsonClassDescription("Scenario routing: where particular kinds of request go. Each value is \"endpoint,model\" or"
        + " \"endpoint\". Checked in this order: longContext, image, webSearch, background, think.")
public record RoutesConfig(
        @JsonPropertyDescription("Haiku-class model names (Claude Code's background and title requests).")
                String background,
        @JsonPropertyDescription("Requests with thinking on (thinking.type enabled or adaptive).") String think,
        @JsonPropertyDescription("Requests estimated above longContextThreshold input tokens.") String longContext,
        @JsonPropertyDescription("Requests that offer a web_search tool.") String webSearch,
        @JsonPropertyDescription("Requests that carry images.") String image) {}
