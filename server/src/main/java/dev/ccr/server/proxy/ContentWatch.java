package dev.ccr.server.proxy;

import dev.ccr.server.translate.AnthropicEvents;
import dev.ccr.server.translate.Usage;

/**
 * Passes translated events on and notes two moments: when the answer's content begins (its first block, or its end),
 * before which a failure can still be retried because nothing needs to reach the client yet; and when the message is
 * complete, after which a failure of the upstream no longer concerns the client.
 */
final class ContentWatch implements AnthropicEvents {
    private final AnthropicEvents out;
    private boolean content;
    private boolean stopped;

    ContentWatch(AnthropicEvents out) {
        this.out = out;
    }

    boolean content() {
        return content;
    }

    /** Whether {@code message_stop} was emitted: the client has the whole message. */
    boolean stopped() {
        return stopped;
    }

    @Override
    public void messageStart(String messageId, String model, Usage usage) {
        out.messageStart(messageId, model, usage);
    }

    @Override
    public void blockStart(int index, BlockType type, String id, String name) {
        content = true;
        out.blockStart(index, type, id, name);
    }

    @Override
    public void textDelta(int index, String text) {
        out.textDelta(index, text);
    }

    @Override
    public void thinkingDelta(int index, String thinking) {
        out.thinkingDelta(index, thinking);
    }

    @Override
    public void signatureDelta(int index, String signature) {
        out.signatureDelta(index, signature);
    }

    @Override
    public void inputJsonDelta(int index, String partialJson) {
        out.inputJsonDelta(index, partialJson);
    }

    @Override
    public void blockStop(int index) {
        out.blockStop(index);
    }

    @Override
    public void messageDelta(String stopReason, String stopSequence, Usage usage) {
        content = true;
        out.messageDelta(stopReason, stopSequence, usage);
    }

    @Override
    public void messageStop() {
        content = true;
        stopped = true;
        out.messageStop();
    }
}
