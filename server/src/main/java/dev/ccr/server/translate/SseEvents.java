package dev.ccr.server.translate;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;

/**
 * The one writer of SSE frames to clients: Anthropic events, each with its {@code event:} line (the SDK ignores frames
 * without one) and one compact JSON {@code data:} line; keep-alive pings; the error frame that ends a broken stream;
 * and frames passed on as they are (a cached answer's replay). Event frames are assembled from constant pieces and
 * escaped strings rather than through a JSON tree: streams carry thousands of small deltas, and this keeps each one to
 * a few copies.
 */
public final class SseEvents implements AnthropicEvents {
    private static final JsonStringEncoder ENCODER = JsonStringEncoder.getInstance();
    private static final byte[] DELTA_HEAD =
            bytes("event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":");
    private static final byte[] TEXT_DELTA = bytes(",\"delta\":{\"type\":\"text_delta\",\"text\":\"");
    private static final byte[] THINKING_DELTA = bytes(",\"delta\":{\"type\":\"thinking_delta\",\"thinking\":\"");
    private static final byte[] SIGNATURE_DELTA = bytes(",\"delta\":{\"type\":\"signature_delta\",\"signature\":\"");
    private static final byte[] INPUT_DELTA = bytes(",\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"");
    private static final byte[] DELTA_TAIL = bytes("\"}}\n\n");
    private static final byte[] PING = bytes("event: ping\ndata: {\"type\":\"ping\"}\n\n");
    private static final byte[] MESSAGE_STOP = bytes("event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n");

    private Buffer out = Buffer.buffer(512);
    private Usage usage = Usage.NONE;

    /** Takes what was written since the last call. */
    public Buffer drain() {
        Buffer written = out;
        out = Buffer.buffer(512);
        return written;
    }

    public boolean hasOutput() {
        return out.length() > 0;
    }

    /** Bytes written and not yet drained. */
    public int pending() {
        return out.length();
    }

    /** The usage the events written so far reported: the latest {@code message_delta}'s, else {@code message_start}'s. */
    public Usage usage() {
        return usage;
    }

    /** A keep-alive frame for a client whose idle watchdog would otherwise fire while the upstream is slow. */
    public void ping() {
        out.appendBytes(PING);
    }

    /** A keep-alive frame on its own. */
    public static Buffer pingFrame() {
        return Buffer.buffer(PING);
    }

    /** The frame that ends a broken stream: {@code event: error} with the error in Anthropic's shape. */
    public static Buffer errorFrame(Buffer errorBody) {
        return Buffer.buffer(errorBody.length() + 24)
                .appendString("event: error\ndata: ")
                .appendBuffer(errorBody)
                .appendString("\n\n");
    }

    /** Passes one event on as it is ({@code data} a single line of JSON). */
    public void frame(String event, String data) {
        out.appendString("event: ")
                .appendString(event)
                .appendString("\ndata: ")
                .appendString(data)
                .appendString("\n\n");
    }

    @Override
    public void messageStart(String messageId, String model, Usage usage) {
        this.usage = usage;
        out.appendString("event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"")
                .appendBytes(quote(messageId))
                .appendString("\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"")
                .appendBytes(quote(model))
                .appendString("\",\"content\":[],\"stop_reason\":null,\"stop_sequence\":null,\"usage\":");
        usage(usage);
        out.appendString("}}\n\n");
    }

    @Override
    public void blockStart(int index, BlockType type, String id, String name) {
        out.appendString("event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":")
                .appendString(Integer.toString(index))
                .appendString(",\"content_block\":");
        switch (type) {
            case TEXT -> out.appendString("{\"type\":\"text\",\"text\":\"\"}");
            case THINKING -> out.appendString("{\"type\":\"thinking\",\"thinking\":\"\",\"signature\":\"\"}");
            case TOOL_USE ->
                out.appendString("{\"type\":\"tool_use\",\"id\":\"")
                        .appendBytes(quote(id))
                        .appendString("\",\"name\":\"")
                        .appendBytes(quote(name))
                        .appendString("\",\"input\":{}}");
        }
        out.appendString("}\n\n");
    }

    @Override
    public void textDelta(int index, String text) {
        delta(index, TEXT_DELTA, text);
    }

    @Override
    public void thinkingDelta(int index, String thinking) {
        delta(index, THINKING_DELTA, thinking);
    }

    @Override
    public void signatureDelta(int index, String signature) {
        delta(index, SIGNATURE_DELTA, signature);
    }

    @Override
    public void inputJsonDelta(int index, String partialJson) {
        delta(index, INPUT_DELTA, partialJson);
    }

    @Override
    public void blockStop(int index) {
        out.appendString("event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":")
                .appendString(Integer.toString(index))
                .appendString("}\n\n");
    }

    @Override
    public void messageDelta(String stopReason, String stopSequence, Usage usage) {
        this.usage = usage;
        out.appendString("event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":");
        nullableString(stopReason);
        out.appendString(",\"stop_sequence\":");
        nullableString(stopSequence);
        out.appendString("},\"usage\":");
        usage(usage);
        out.appendString("}\n\n");
    }

    @Override
    public void messageStop() {
        out.appendBytes(MESSAGE_STOP);
    }

    private void delta(int index, byte[] kind, String value) {
        out.appendBytes(DELTA_HEAD)
                .appendString(Integer.toString(index))
                .appendBytes(kind)
                .appendBytes(quote(value))
                .appendBytes(DELTA_TAIL);
    }

    private void usage(Usage usage) {
        out.appendString("{\"input_tokens\":")
                .appendString(Long.toString(usage.input()))
                .appendString(",\"cache_creation_input_tokens\":")
                .appendString(Long.toString(usage.cacheCreation()))
                .appendString(",\"cache_read_input_tokens\":")
                .appendString(Long.toString(usage.cacheRead()))
                .appendString(",\"output_tokens\":")
                .appendString(Long.toString(usage.output()))
                .appendString("}");
    }

    private void nullableString(String value) {
        if (value == null) {
            out.appendString("null");
        } else {
            out.appendString("\"").appendBytes(quote(value)).appendString("\"");
        }
    }

    private static byte[] quote(String value) {
        return ENCODER.quoteAsUTF8(value);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
