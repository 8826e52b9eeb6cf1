package dev.ccr.server.config;

/** The request kinds scenario routing recognises, in the order they are checked (DESIGN §3). */
public enum Scenario {
    /** Over the long-context threshold: only a large-context model can serve it, so this is checked first. */
    LONG_CONTEXT("longContext"),
    /** Images need a vision model. */
    IMAGE("image"),
    /** A web_search tool needs an endpoint that can search. */
    WEB_SEARCH("webSearch"),
    /** Haiku-class names: Claude Code's cheap background calls. Before think, since those carry thinking too. */
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
