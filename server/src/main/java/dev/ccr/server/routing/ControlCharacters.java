package dev.ccr.server.routing;

/**
 * Control characters in values that end up in a response header or a log line: a CR/LF there forges a header or a
 * log line, and a header value the HTTP encoder refuses leaves the request without an answer.
 */
public final class ControlCharacters {
    private ControlCharacters() {}

    /** The index of the first C0 or C1 control character (tab included) or DEL, or -1. */
    public static int find(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 || (c >= 0x7F && c <= 0x9F)) {
                return i;
            }
        }
        return -1;
    }

    /** The first control character as {@code U+000D at 3}, for an error message that must not contain it. */
    public static String describe(String text) {
        int at = find(text);
        return at < 0 ? "none" : String.format("U+%04X at %d", (int) text.charAt(at), at);
    }
}
