package dev.ccr.server.translate;

/**
 * The Anthropic streaming events, as calls. {@link AnthropicEmitter} makes them in a valid order; an implementation
 * either writes SSE frames ({@link SseEvents}) or assembles a whole message ({@link MessageAssembler}), so streamed
 * and non-streamed answers share one translation.
 */
public interface AnthropicEvents {
    enum BlockType {
        TEXT,
        THINKING,
        TOOL_USE
    }

    void messageStart(String messageId, String model, Usage usage);

    /** For {@code TOOL_USE}, {@code id} and {@code name} are set; otherwise they are {@code null}. */
    void blockStart(int index, BlockType type, String id, String name);

    void textDelta(int index, String text);

    void thinkingDelta(int index, String thinking);

    void signatureDelta(int index, String signature);

    void inputJsonDelta(int index, String partialJson);

    void blockStop(int index);

    void messageDelta(String stopReason, String stopSequence, Usage usage);

    void messageStop();
}
