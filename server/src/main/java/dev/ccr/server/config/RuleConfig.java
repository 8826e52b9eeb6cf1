package dev.ccr.server.config;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Map;

/** A user routing rule as written: every condition given must hold; the first matching rule wins. */
@JsonClassDescription("A routing rule: when every condition given matches, the request goes to 'target'. Rules are"
        + " tried in order, after an explicit endpoint,model and before the scenario routes.")
public record RuleConfig(
        @JsonPropertyDescription("A name shown in the x-ccr-route header and the log (default rule[N]).") String name,
        @JsonPropertyDescription("Glob (* and ?) the requested model must match, e.g. \"*opus*\".") String model,
        @JsonPropertyDescription("Request headers that must be present, each value a glob, e.g."
                        + " {\"user-agent\": \"*claude-vscode*\"}.")
                Map<String, String> headers,
        @JsonPropertyDescription("Only when the estimated input tokens are at least this many.") Integer minTokens,
        @JsonPropertyDescription("Only when the estimated input tokens are at most this many.") Integer maxTokens,
        @JsonPropertyDescription("true: only requests that offer tools; false: only requests without tools.")
                Boolean tools,
        @JsonPropertyDescription("Glob a tool name must match, e.g. \"web_search*\".") String tool,
        @JsonPropertyDescription("true: only with thinking on; false: only with thinking off.") Boolean thinking,
        @JsonPropertyDescription("true: only requests carrying images; false: only requests without.") Boolean images,
        @JsonPropertyDescription("Where matching requests go: \"endpoint,model\" or \"endpoint\", a list of them, or"
                        + " {\"targets\": [...], \"strategy\": ...}.")
                RouteConfig target) {}
