package dev.ccr.server.sse;

import io.vertx.core.buffer.Buffer;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * An incremental parser for {@code text/event-stream}: feed it network chunks as they arrive, in any split, and it
 * emits each event as soon as its blank line is seen. Follows the WHATWG rules: lines end in LF, CRLF or CR; lines
 * starting with {@code :} are comments; one optional space after the colon is dropped; several {@code data:} lines
 * are joined with LF; {@code id} and {@code retry} are ignored (neither API uses them).
 */
public final class SseParser {
    private final Consumer<SseEvent> sink;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream(256);
    private final StringBuilder data = new StringBuilder();
    private String event;
    private boolean hasData;
    private boolean lastWasCr;
    private long fed;
    private long completed;

    public SseParser(Consumer<SseEvent> sink) {
        this.sink = sink;
    }

    public void feed(Buffer chunk) {
        feed(chunk.getBytes());
    }

    public void feed(byte[] bytes) {
        for (byte b : bytes) {
            fed++;
            if (b == '\n') {
                if (lastWasCr) {
                    lastWasCr = false; // the LF of a CRLF pair; the line already ended at CR
                    continue;
                }
                endLine();
            } else if (b == '\r') {
                lastWasCr = true;
                endLine();
            } else {
                lastWasCr = false;
                line.write(b);
            }
        }
    }

    /**
     * How many of the bytes fed so far belong to finished frames: everything up to the blank line that ended the last
     * event (or comment block). A relay that forwards only this many bytes never leaves a half frame on the wire, so
     * an error frame can always follow cleanly.
     */
    public long completedBytes() {
        return completed;
    }

    /** Whether bytes of an unfinished event are waiting for more input. */
    public boolean hasPartialEvent() {
        return line.size() > 0 || hasData || event != null;
    }

    private void endLine() {
        if (line.size() == 0) {
            dispatch();
            completed = fed;
            return;
        }
        String text = line.toString(StandardCharsets.UTF_8);
        line.reset();
        if (text.charAt(0) == ':') {
            return;
        }
        int colon = text.indexOf(':');
        String field = colon < 0 ? text : text.substring(0, colon);
        String value = "";
        if (colon >= 0) {
            int start = colon + 1;
            if (start < text.length() && text.charAt(start) == ' ') {
                start++;
            }
            value = text.substring(start);
        }
        switch (field) {
            case "event" -> event = value;
            case "data" -> {
                if (hasData) {
                    data.append('\n');
                }
                data.append(value);
                hasData = true;
            }
            default -> {}
        }
    }

    private void dispatch() {
        if (hasData || event != null) {
            sink.accept(new SseEvent(event, hasData ? data.toString() : ""));
        }
        data.setLength(0);
        hasData = false;
        event = null;
    }
}
