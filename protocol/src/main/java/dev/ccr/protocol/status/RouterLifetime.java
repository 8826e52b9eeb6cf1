package dev.ccr.protocol.status;

/** How long the router process lives, which tells an editor what closing it does. */
public enum RouterLifetime {
    /** {@code ccr lsp}: the sidecar of one editor, serving it on standard input and output; it exits with that editor. */
    EDITOR,
    /**
     * {@code ccr lsp --shared}: started by an editor, it also serves other editors on its local socket, and stays while
     * any is attached. When the last one has gone it keeps serving if Claude Code is routed through it (unless that
     * editor chose {@link dev.ccr.protocol.router.WhenEditorsClose#TURN_ROUTING_OFF}), and exits otherwise.
     */
    SHARED,
    /** {@code ccr start} (also under a service manager): runs until it is stopped, whatever editors do. */
    STANDALONE
}
