package dev.ccr.protocol.status;

/** Whether Claude Code sends its requests through this router, judged from its settings files. */
public enum RoutingState {
    /** The user settings file points {@code ANTHROPIC_BASE_URL} at this router, and no open project overrides it. */
    ON,
    /** Claude Code's settings do not point at this router. */
    OFF,
    /**
     * The user settings point at this router, but a project or managed settings file of an open workspace folder sets
     * {@code ANTHROPIC_BASE_URL} to something else, which wins there; {@code claude/status} names the file.
     */
    OVERRIDDEN
}
