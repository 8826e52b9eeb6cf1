package dev.ccr.server.config;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;
import java.util.Map;

/**
 * One upstream the router can send requests to, as written in the config file.
 *
 * <p>{@code apiKey} and header values may hold {@code ${ENV_NAME}} references; they are resolved when the config is
 * loaded and never written back.
 */
@JsonClassDescription("An upstream API the router can forward to.")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EndpointConfig(
        @JsonPropertyDescription("Unique name, used in defaultEndpoint, routes and in 'endpoint,model' model ids.")
                String name,
        @JsonPropertyDescription("Wire format: anthropic, openai (chat completions), gemini, or custom (any URL,"
                        + " OpenAI format unless 'format' says otherwise).")
                EndpointType type,
        @JsonPropertyDescription("API root including its version segment, e.g. https://api.anthropic.com/v1. The router"
                        + " appends /messages, /chat/completions, ...")
                String baseUrl,
        @JsonPropertyDescription(
                        "API key sent to this endpoint. ${ENV_NAME} reads an environment variable. Optional for"
                                + " anthropic endpoints: then the client's own key is forwarded.")
                String apiKey,
        @JsonPropertyDescription("Extra headers added to every request to this endpoint; values may use ${ENV_NAME}.")
                Map<String, String> headers,
        @JsonPropertyDescription("For custom endpoints: the wire format (default openai).") WireFormat format,
        @JsonPropertyDescription("Models this endpoint serves, listed by /v1/models.") List<String> models,
        @JsonPropertyDescription("Maps requested model names (glob patterns, * and ?) to this endpoint's model ids.")
                Map<String, String> modelMap,
        @JsonPropertyDescription("Which well-known API this is, for its quirks: generic, openai, deepseek, glm, qwen,"
                        + " kimi, openrouter, ollama, vllm, gemini. Default: recognised from baseUrl, else generic.")
                Provider provider,
        @JsonPropertyDescription("Overrides of single quirks of the provider preset.") QuirksConfig quirks,
        @JsonPropertyDescription("Share of requests under the 'weighted' strategy, and how much load 'least-busy'"
                        + " gives it (default 1).")
                Integer weight,
        @JsonPropertyDescription("Most requests in flight to this endpoint at once (default: no limit). When it is"
                        + " full, a route fails over to its other targets.")
                Integer maxConcurrent,
        @JsonPropertyDescription("Most requests per minute sent to this endpoint (default: no limit).")
                Integer requestsPerMinute,
        @JsonPropertyDescription("Most tokens per minute sent to this endpoint (default: no limit).")
                Integer tokensPerMinute,
        @JsonPropertyDescription("Timeouts for this endpoint; unset fields come from the top-level 'timeouts'.")
                TimeoutsConfig timeouts,
        @JsonPropertyDescription("Proxy for this endpoint only, as the top-level 'proxy' is written, or \"none\" to"
                        + " reach it directly. Default: the top-level proxy (not for loopback addresses).")
                String proxy) {

    /** The format requests to this endpoint are written in. */
    public WireFormat wireFormat() {
        return switch (type) {
            case ANTHROPIC -> WireFormat.ANTHROPIC;
            case OPENAI -> WireFormat.OPENAI;
            case GEMINI -> WireFormat.GEMINI;
            case CUSTOM -> format == null ? WireFormat.OPENAI : format;
        };
    }

    @Override
    public String toString() {
        // Records print every component; the key must never reach a log.
        return "EndpointConfig[name=" + name + ", type=" + type + ", baseUrl=" + baseUrl + ", apiKey="
                + (apiKey == null ? "none" : "***") + ", proxy=" + (proxy == null ? "default" : "***") + "]";
    }
}
