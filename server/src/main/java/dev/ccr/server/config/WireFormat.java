package dev.ccr.server.config;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The request/response format a {@code custom} endpoint speaks. */
public enum WireFormat {
    @JsonProperty("anthropic")
    ANTHROPIC,
    @JsonProperty("openai")
    OPENAI,
    @JsonProperty("gemini")
    GEMINI
}
