package dev.ccr.server.config;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

/** Per-endpoint overrides of what the provider preset says about an upstream; every field is optional. */
@JsonClassDescription("How this upstream differs from plain OpenAI chat completions. Unset fields come from the"
        + " provider preset (see 'provider').")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record QuirksConfig(
        @JsonPropertyDescription("Field for the output limit: max_tokens or max_completion_tokens.")
                MaxTokensField maxTokensField,
        @JsonPropertyDescription(
                        "How to ask for thinking: none, reasoning_effort, thinking, enable_thinking," + " reasoning.")
                ReasoningRequest reasoningRequest,
        @JsonPropertyDescription("Model globs the reasoning request (and the no-sampling rule) applies to; empty or"
                        + " unset means every model.")
                List<String> reasoningModels,
        @JsonPropertyDescription("Send earlier thinking back as reasoning_content on assistant messages (DeepSeek,"
                        + " Kimi and GLM need it in tool loops).")
                Boolean sendReasoningBack,
        @JsonPropertyDescription("Strip JSON Schema keywords the upstream rejects ($schema, additionalProperties, ...)"
                        + " from tool schemas.")
                Boolean cleanSchemas,
        @JsonPropertyDescription("Ask for usage in streams (stream_options.include_usage).") Boolean streamUsage,
        @JsonPropertyDescription("Whether reasoning models accept temperature/top_p; when false they are dropped.")
                Boolean sampling,
        @JsonPropertyDescription("Whether the upstream accepts response_format json_schema (structured output).")
                Boolean structuredOutput,
        @JsonPropertyDescription("Keep Anthropic cache_control marks on system and message parts (OpenRouter).")
                Boolean cacheControl,
        @JsonPropertyDescription("The largest output limit (max_tokens) the upstream accepts; a request asking for more"
                        + " is sent with this limit instead of being refused (DeepSeek's chat models: 8192). Default:"
                        + " no limit.")
                Integer maxOutputTokens) {}
