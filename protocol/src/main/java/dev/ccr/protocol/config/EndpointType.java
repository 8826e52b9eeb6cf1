package dev.ccr.protocol.config;

/** The API an endpoint speaks; the config file writes these in lower case. */
public enum EndpointType {
    /** The Anthropic Messages API; requests and streams pass through untouched. */
    ANTHROPIC,
    /** OpenAI chat completions and compatible servers. */
    OPENAI,
    /** Google Gemini. */
    GEMINI,
    /** Any URL, OpenAI chat completions unless {@link EndpointSettings#format()} says otherwise. */
    CUSTOM
}
