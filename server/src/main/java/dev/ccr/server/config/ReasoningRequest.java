package dev.ccr.server.config;

import com.fasterxml.jackson.annotation.JsonProperty;

/** How an OpenAI-compatible upstream is asked to think, when the Anthropic request has thinking on. */
public enum ReasoningRequest {
    /** Not asked: the model decides (DeepSeek, Kimi: the model id chooses thinking). */
    @JsonProperty("none")
    NONE,
    /** {@code "reasoning_effort": "low|medium|high"} (OpenAI o-series and GPT-5). */
    @JsonProperty("reasoning_effort")
    REASONING_EFFORT,
    /** {@code "thinking": {"type": "enabled|disabled"}} (GLM). */
    @JsonProperty("thinking")
    THINKING,
    /** {@code "enable_thinking": true|false} (Qwen). */
    @JsonProperty("enable_thinking")
    ENABLE_THINKING,
    /** {@code "reasoning": {"effort": …}} or {@code {"enabled": false}} (OpenRouter). */
    @JsonProperty("reasoning")
    REASONING
}
