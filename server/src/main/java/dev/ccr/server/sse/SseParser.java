package dev.ccr.server.sse;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * An incremental parser for {@code text/event-stream}: feed it network chunks as they arrive, in any split, and it
 * emits each event as soon as its blank line is seen. Follows the WHATWG rules: lines end in LF, CRLF or CR; a leading
 * byte order mark is skipped; lines starting with {@code :} are comments; one optional space after the colon is
 * dropped; several {@code data:} lines are joined with LF; {@code id} and {@code retry} are ignored (neither API uses
 * them).
 *
 * <p>It sits on every relayed stream, so it scans bytes rather than building strings: whole lines inside a chunk are
 * read in place, and only a line split across chunks is copied.
 */
public final class SseParser {
    private static final byte[] DATA = {'d', 'a', 't', 'a'};
    private static final byte[] EVENT = {'e', 'v', 'e', 'n', 't'};
    private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

    private final Consumer<SseEvent> sink;
    /** A line begun in an earlier chunk. */
    private byte[] carry = new byte[256];

    private int carried;
    private final StringBuilder data = new StringBuilder();
    private String event;
    private boolean hasData;
    private boolean lastWasCr;
    private boolean started;
    private long fed;
    private long completed;

    public SseParser(Consumer<SseEvent> sink) {
        this.sink = sink;
    }

    public void feed(Buffer chunk) {
        feed(chunk.getBytes());
    }

    public void feed(byte[] bytes) {
        int start = 0;
        if (!started) {
            start = skipByteOrderMark(bytes);
            if (!started) {
                fed += bytes.length;
                return;
            }
        }
        int lineStart = start;
        for (int i = start; i < bytes.length; i++) {
            byte b = bytes[i];
            if (b != '\n' && b != '\r') {
                lastWasCr = false;
                continue;
            }
            if (b == '\n' && lastWasCr) {
                // The LF of a CRLF pair: the line already ended at the CR.
                lastWasCr = false;
                lineStart = i + 1;
                continue;
            }
            lastWasCr = b == '\r';
            if (carried > 0) {
                append(bytes, lineStart, i);
                line(carry, 0, carried, fed + i + 1);
                carried = 0;
            } else {
                line(bytes, lineStart, i, fed + i + 1);
            }
            lineStart = i + 1;
        }
        if (lineStart < bytes.length) {
            append(bytes, lineStart, bytes.length);
        }
        fed += bytes.length;
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
        return carried > 0 || hasData || event != null;
    }

    /** Skips a byte order mark at the very start; it may arrive split across chunks. */
    private int skipByteOrderMark(byte[] bytes) {
        int seen = (int) fed;
        int i = 0;
        while (seen < BOM.length && i < bytes.length) {
            if (bytes[i] != BOM[seen]) {
                // Not a BOM after all: whatever matched of it so far is text.
                started = true;
                if (seen > 0) {
                    append(BOM, 0, seen);
                }
                return i;
            }
            seen++;
            i++;
        }
        if (seen == BOM.length) {
            started = true;
        }
        return i;
    }

    private void append(byte[] bytes, int from, int to) {
        int length = to - from;
        if (carried + length > carry.length) {
            carry = Arrays.copyOf(carry, Math.max(carry.length * 2, carried + length));
        }
        System.arraycopy(bytes, from, carry, carried, length);
        carried += length;
    }

    /** One line without its terminator; {@code end} is the stream offset just past the terminator. */
    private void line(byte[] bytes, int from, int to, long end) {
        if (from == to) {
            dispatch();
            completed = end;
            return;
        }
        if (bytes[from] == ':') {
            return;
        }
        int colon = from;
        while (colon < to && bytes[colon] != ':') {
            colon++;
        }
        int valueStart = colon < to ? colon + 1 : to;
        if (valueStart < to && bytes[valueStart] == ' ') {
            valueStart++;
        }
        if (is(bytes, from, colon, DATA)) {
            if (hasData) {
                data.append('\n');
            }
            data.append(new String(bytes, valueStart, to - valueStart, StandardCharsets.UTF_8));
            hasData = true;
        } else if (is(bytes, from, colon, EVENT)) {
            event = new String(bytes, valueStart, to - valueStart, StandardCharsets.UTF_8);
        }
    }

    private static boolean is(byte[] bytes, int from, int to, byte[] name) {
        return to - from == name.length && Arrays.equals(bytes, from, to, name, 0, name.length);
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
