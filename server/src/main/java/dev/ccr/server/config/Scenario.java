package dev.ccr.server.config;

/**
 * The request kinds scenario routing recognises, in the order they are checked (docs/ROUTING.md). Claude Code's own
 * label for a request ({@code x-claude-code-request-class}, sent with {@code CLAUDE_CODE_GATEWAY_HINT_HEADERS=1})
 * decides compaction, subagent and background when it is there; without it, the older signs apply.
 */
public enum Scenario {
    /**
     * Claude Code summarising the conversation ({@code /compact} or automatically): first, because such a request is
     * as long as the conversation and would otherwise always be taken by longContext.
     */
    COMPACTION("compaction"),
    /** Over the long-context threshold: only a large-context model can serve it. */
    LONG_CONTEXT("longContext"),
    /** Images need a vision model. */
    IMAGE("image"),
    /** A web search or web fetch server tool needs an endpoint that can use it. */
    WEB_SEARCH("webSearch"),
    /** A subagent's turn (the Agent/Task tool), including workflow agents. */
    SUBAGENT("subagent"),
    /**
     * Claude Code's auxiliary requests (titles, summaries, classifiers); without the hint header, Haiku-class model
     * names. Before think, since those carry thinking too.
     */
    BACKGROUND("background"),
    /** Thinking on. */
    THINK("think");

    private final String configName;

    Scenario(String configName) {
        this.configName = configName;
    }

    /** The key under {@code routes} and the value of the {@code x-ccr-route} header. */
    public String configName() {
        return configName;
    }
}
