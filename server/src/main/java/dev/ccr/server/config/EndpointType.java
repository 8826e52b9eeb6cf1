package dev.ccr.server.config;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The wire format an endpoint speaks. */
public enum EndpointType {
    /** The Anthropic Messages API; requests and streams pass through untouched. */
    @JsonProperty("anthropic")
    ANTHROPIC,
    /** OpenAI chat completions (and compatible servers). */
    @JsonProperty("openai")
    OPENAI,
    /** Google Gemini {@code generateContent}. */
    @JsonProperty("gemini")
    GEMINI,
    /** Any URL; OpenAI chat completions unless the endpoint sets {@code "format": "anthropic"}. */
    @JsonProperty("custom")
    CUSTOM;

    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
