package dev.ccr.server.sse;

import io.vertx.core.buffer.Buffer;

/** Writes events in the framing Claude Code and the Anthropic SDK expect: an {@code event:} line, then one data line. */
public final class SseWriter {
    private SseWriter() {}

    /** One frame; {@code json} must be a single line (compact JSON always is). */
    public static Buffer frame(String event, String json) {
        return Buffer.buffer(event.length() + json.length() + 17)
                .appendString("event: ")
                .appendString(event)
                .appendString("\ndata: ")
                .appendString(json)
                .appendString("\n\n");
    }

    public static Buffer frame(String event, byte[] json) {
        return Buffer.buffer(event.length() + json.length + 17)
                .appendString("event: ")
                .appendString(event)
                .appendString("\ndata: ")
                .appendBytes(json)
                .appendString("\n\n");
    }
}
