package dev.ccr.server.proxy;

/** The API operations the router serves for Claude Code, with their path under an Anthropic base URL. */
public enum Operation {
    MESSAGES("/messages"),
    COUNT_TOKENS("/messages/count_tokens");

    private final String anthropicPath;

    Operation(String anthropicPath) {
        this.anthropicPath = anthropicPath;
    }

    /** The path an Anthropic-format endpoint serves this operation at, under its base URL. */
    public String anthropicPath() {
        return anthropicPath;
    }
}
