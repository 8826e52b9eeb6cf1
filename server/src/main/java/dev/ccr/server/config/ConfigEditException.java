package dev.ccr.server.config;

import java.util.List;

/** A config change that was not made, and why; nothing was written. */
public final class ConfigEditException extends Exception {
    /** Why. */
    public enum Kind {
        /** The change would leave the config invalid; {@link #problems()} says where and why. */
        INVALID,
        /** The file on disk is not a JSON object that can be edited; {@link #problems()} says where. */
        UNREADABLE,
        /** The file could not be written. */
        WRITE_FAILED,
        /** The change names an endpoint that does not exist. */
        NO_SUCH_ENDPOINT,
        /** The change adds an endpoint whose name is taken. */
        ENDPOINT_EXISTS,
        /** The change itself lacks something it needs (a name, a type). */
        INCOMPLETE
    }

    private final Kind kind;
    private final List<ConfigProblem> problems;

    public ConfigEditException(Kind kind, String message, List<ConfigProblem> problems) {
        super(message, null, false, false);
        this.kind = kind;
        this.problems = List.copyOf(problems);
    }

    public ConfigEditException(Kind kind, String message) {
        this(kind, message, List.of());
    }

    public Kind kind() {
        return kind;
    }

    public List<ConfigProblem> problems() {
        return problems;
    }
}
