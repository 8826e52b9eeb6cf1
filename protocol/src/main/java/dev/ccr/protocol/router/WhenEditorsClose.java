package dev.ccr.protocol.router;

/**
 * What a shared router does when the last editor has gone (after a grace period that lets a reloading window come
 * back) while Claude Code's user settings point at it. The preference of the editor that left last counts. With routing
 * off, a router started by an editor simply exits, and one started by {@code ccr start} keeps running either way.
 */
public enum WhenEditorsClose {
    /** Keep serving in the background, so that Claude Code in a terminal keeps working; the next editor attaches. */
    KEEP_SERVING,
    /**
     * Turn routing off, restoring Claude Code's settings exactly as {@code claude/disable} does, then exit (a router of
     * {@code ccr start} keeps running).
     */
    TURN_ROUTING_OFF
}
