package dev.ccr.server.config;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Which OpenAI request field carries the output limit. */
public enum MaxTokensField {
    /** The classic field, which every OpenAI-compatible server knows. */
    @JsonProperty("max_tokens")
    MAX_TOKENS("max_tokens"),
    /** What OpenAI's reasoning models (o-series, GPT-5) require; they reject {@code max_tokens}. */
    @JsonProperty("max_completion_tokens")
    MAX_COMPLETION_TOKENS("max_completion_tokens");

    private final String field;

    MaxTokensField(String field) {
        this.field = field;
    }

    public String field() {
        return field;
    }
}
