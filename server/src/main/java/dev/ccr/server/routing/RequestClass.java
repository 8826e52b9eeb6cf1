package dev.ccr.server.routing;

import java.util.Locale;
import java.util.function.Function;

/**
 * What kind of request Claude Code says it is sending, from its gateway hint headers (docs/ROUTING.md has the classes
 * each CLI version was measured to send). With {@code CLAUDE_CODE_GATEWAY_HINT_HEADERS=1}, Claude Code 2.1.332 labels
 * every request with {@code x-claude-code-request-class}; 2.1.197 sends no label, but does send {@code
 * x-claude-code-agent-id} on a subagent's requests.
 */
public enum RequestClass {
    /** The user's conversation, and side replies. */
    MAIN,
    /** A subagent's or a workflow agent's turn. */
    SUBAGENT,
    /** Summarising the conversation. */
    COMPACTION,
    /** Titles, summaries, classifiers and other requests the user never reads directly. */
    AUXILIARY,
    /** Not labelled: the client sent no hint header (an older CLI, hints off, another client). */
    UNLABELLED;

    public static final String HEADER = "x-claude-code-request-class";
    public static final String AGENT_ID_HEADER = "x-claude-code-agent-id";

    /** Reads the request's headers (by case-insensitive name). */
    public static RequestClass of(Function<String, String> headers) {
        String label = headers.apply(HEADER);
        if (label == null || label.isBlank()) {
            return headers.apply(AGENT_ID_HEADER) != null ? SUBAGENT : UNLABELLED;
        }
        return parse(label);
    }

    /** Whether the request carries Claude Code's label at all (else the model-name heuristics decide). */
    public static boolean labelled(Function<String, String> headers) {
        String label = headers.apply(HEADER);
        return label != null && !label.isBlank();
    }

    private static RequestClass parse(String label) {
        return switch (label.strip().toLowerCase(Locale.ROOT)) {
            case "subagent", "workflow" -> SUBAGENT;
            case "compaction" -> COMPACTION;
            case "auxiliary" -> AUXILIARY;
            default -> MAIN; // main, side_reply, and classes a later CLI may add: the user's own conversation
        };
    }
}
