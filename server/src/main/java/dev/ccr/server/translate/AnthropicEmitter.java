package dev.ccr.server.translate;

import dev.ccr.server.translate.AnthropicEvents.BlockType;

/**
 * Turns what a translator reads from an upstream (text, thinking, signatures, tool calls, the end) into a valid
 * Anthropic event sequence: {@code message_start} first, one content block open at a time with consecutive indexes,
 * each block stopped before the next starts, and {@code message_delta} plus {@code message_stop} last. Translators
 * say what they saw; this class decides which blocks to open and close.
 */
public final class AnthropicEmitter {
    private final AnthropicEvents out;
    private final String messageId;
    private final String model;
    private boolean started;
    private boolean finished;
    private int nextIndex;
    private int openIndex = -1;
    private BlockType openType;
    private boolean openThinkingSigned;
    /** Signatures that came with text while a text block was open: they follow that block, once it ends. */
    private final java.util.List<String> afterText = new java.util.ArrayList<>(1);

    private long outputChars;
    private boolean toolUsed;

    public AnthropicEmitter(AnthropicEvents out, String messageId, String model) {
        this.out = out;
        this.messageId = messageId;
        this.model = model;
    }

    /** Sends {@code message_start} unless it went already. */
    public void start(Usage usage) {
        if (!started) {
            started = true;
            out.messageStart(messageId, model, usage);
        }
    }

    public boolean started() {
        return started;
    }

    public boolean finished() {
        return finished;
    }

    /** Whether a tool_use block was emitted (Gemini says STOP even when it called tools). */
    public boolean toolUsed() {
        return toolUsed;
    }

    /** Characters of output emitted, for an estimate when the upstream reports no usage. */
    public long outputChars() {
        return outputChars;
    }

    public void text(String text) {
        if (text == null || text.isEmpty()) {
            return;
        }
        ensure(BlockType.TEXT);
        outputChars += text.length();
        out.textDelta(openIndex, text);
    }

    public void thinking(String thinking) {
        if (thinking == null || thinking.isEmpty()) {
            return;
        }
        if (openType == BlockType.THINKING && openThinkingSigned) {
            close(); // a signature ends a thinking block; more thinking starts a new one
        }
        ensure(BlockType.THINKING);
        outputChars += thinking.length();
        out.thinkingDelta(openIndex, thinking);
    }

    /**
     * A signature for the thinking that came before it. It joins the open thinking block; with none open (Gemini
     * puts its signature on the function call or text that follows its thoughts), an empty thinking block carries it,
     * so the client sends it back verbatim in the next turn.
     */
    public void signature(String signature) {
        if (signature == null || signature.isEmpty()) {
            return;
        }
        if (openType != BlockType.THINKING || openThinkingSigned) {
            close();
            open(BlockType.THINKING, null, null);
        }
        out.signatureDelta(openIndex, signature);
        openThinkingSigned = true;
    }

    /**
     * Text that arrived together with a signature in one upstream part (Gemini puts its thought signature on the first
     * part after the thoughts, or on the last part of an answer). The text is never split or dropped for it: an open
     * unsigned thinking block takes the signature (it signs the thoughts before the text); text that continues an open
     * text block keeps flowing and the signature follows the block once it ends; otherwise the signature comes just
     * before the text, in an empty thinking block. Either way the signature sits next to the text it came with, where
     * the way back (GeminiRequestTranslator) puts it on that text again.
     */
    public void textWithSignature(String text, String signature) {
        if (signature == null || signature.isEmpty()) {
            text(text);
            return;
        }
        if (openType == BlockType.TEXT) {
            text(text);
            afterText.add(signature);
            return;
        }
        signature(signature);
        text(text);
    }

    /** Opens a tool_use block; its input follows through {@link #toolInput}. */
    public void toolUse(String id, String name) {
        close();
        toolUsed = true;
        open(BlockType.TOOL_USE, id, name);
    }

    public void toolInput(String partialJson) {
        if (partialJson == null || partialJson.isEmpty()) {
            return;
        }
        if (openType != BlockType.TOOL_USE) {
            throw new IllegalStateException("tool input outside a tool_use block");
        }
        outputChars += partialJson.length();
        out.inputJsonDelta(openIndex, partialJson);
    }

    /** The index of the open block, or -1. */
    public int openIndex() {
        return openIndex;
    }

    public boolean toolOpen() {
        return openType == BlockType.TOOL_USE;
    }

    /** Stops the open block, if any. */
    public void close() {
        if (openIndex >= 0) {
            boolean text = openType == BlockType.TEXT;
            out.blockStop(openIndex);
            openIndex = -1;
            openType = null;
            openThinkingSigned = false;
            if (text && !afterText.isEmpty()) {
                for (String signature : afterText) {
                    int index = nextIndex++;
                    out.blockStart(index, BlockType.THINKING, null, null);
                    out.signatureDelta(index, signature);
                    out.blockStop(index);
                }
                afterText.clear();
            }
        }
    }

    /** Closes the open block and ends the message; {@code usage} is cumulative, as Anthropic reports it. */
    public void finish(String stopReason, String stopSequence, Usage usage) {
        if (finished) {
            return;
        }
        start(usage);
        close();
        finished = true;
        out.messageDelta(stopReason, stopSequence, usage);
        out.messageStop();
    }

    private void ensure(BlockType type) {
        if (openType != type) {
            close();
            open(type, null, null);
        }
    }

    private void open(BlockType type, String id, String name) {
        if (!started) {
            throw new IllegalStateException("content before message_start");
        }
        openIndex = nextIndex++;
        openType = type;
        out.blockStart(openIndex, type, id, name);
    }
}
