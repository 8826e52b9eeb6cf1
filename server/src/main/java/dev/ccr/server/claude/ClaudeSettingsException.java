package dev.ccr.server.claude;

/** A settings change that could not be made; the message says which file, what is wrong and what to do. */
public final class ClaudeSettingsException extends Exception {
    /** Why. */
    public enum Kind {
        /** The file is not JSON the router can change safely; it was left untouched. */
        UNREADABLE,
        /** A file could not be written. */
        WRITE_FAILED
    }

    private final Kind kind;

    public ClaudeSettingsException(Kind kind, String message, Throwable cause) {
        super(message, cause, false, false);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
