package dev.ccr.protocol.config;

/** The request and response format sent to an endpoint. */
public enum WireFormat {
    /** Anthropic Messages. */
    ANTHROPIC,
    /** OpenAI chat completions. */
    OPENAI,
    /** Gemini generateContent. */
    GEMINI
}
