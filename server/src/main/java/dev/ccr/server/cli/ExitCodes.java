package dev.ccr.server.cli;

/** Exit statuses of the {@code ccr} command. */
final class ExitCodes {
    static final int OK = 0;
    /** Something failed: a bad config, a port in use, a router that did not start. */
    static final int FAILURE = 1;
    /** The command line itself was wrong. */
    static final int USAGE = 2;
    /** {@code ccr status}: no router is running (as LSB init scripts report it). */
    static final int NOT_RUNNING = 3;
    /**
     * {@code ccr lsp --shared}: another router serves the editors of this config already; the editor attaches to its
     * socket instead (docs/PROTOCOL.md).
     */
    static final int SERVED_ELSEWHERE = 4;
    /** {@code ccr code}: the {@code claude} command was not found. */
    static final int NO_CLAUDE = 127;

    private ExitCodes() {}
}
