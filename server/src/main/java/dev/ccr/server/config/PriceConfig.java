package dev.ccr.server.config;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** A model's prices as written in the config file, in US dollars per million tokens. */
@JsonClassDescription("Prices in US dollars per million tokens.")
public record PriceConfig(
        @JsonPropertyDescription("Input tokens (not read from or written to a prompt cache).") Double input,
        @JsonPropertyDescription("Output tokens, thinking included.") Double output,
        @JsonPropertyDescription("Input tokens written to the prompt cache (default: the input price).")
                Double cacheWrite,
        @JsonPropertyDescription("Input tokens read from the prompt cache (default: the input price).")
                Double cacheRead) {}
