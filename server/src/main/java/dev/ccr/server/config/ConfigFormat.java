package dev.ccr.server.config;

/** The formats a config file may be written in. */
public enum ConfigFormat {
    /** ccr's own: {@code endpoints}, {@code routes}, … (the JSON Schema in vscode-extension/schemas). */
    CCR("ccr"),
    /**
     * claude-code-router's ({@code Providers}, {@code Router}, {@code APIKEY}, …), which keeps its file at the same
     * path; read as the ccr config with the same effect (see docs/COMING-FROM-CLAUDE-CODE-ROUTER.md).
     */
    CLAUDE_CODE_ROUTER("claude-code-router");

    private final String wireName;

    ConfigFormat(String wireName) {
        this.wireName = wireName;
    }

    /** How {@code ccr config check --json} names it. */
    public String wireName() {
        return wireName;
    }
}
