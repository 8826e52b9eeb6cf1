package dev.ccr.server.proxy;

import dev.ccr.server.config.Endpoint;
import dev.ccr.server.error.ErrorType;
import dev.ccr.server.resilience.AttemptFailure;
import dev.ccr.server.sse.AnthropicStreamObserver;
import dev.ccr.server.sse.SseParser;
import dev.ccr.server.translate.Usage;
import dev.ccr.server.upstream.UpstreamFailures;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;

/**
 * An Anthropic event stream passed on byte for byte, watched on the way ({@link AnthropicStreamObserver}): output is
 * always whole frames, and when a chunk holds exactly whole frames — the common case — it goes on as it is, without a
 * copy. A malformed frame is never passed on; an {@code error} event before any content is the attempt's failure (so
 * it can be retried), after content it is part of the answer and goes on as it came.
 */
final class PassthroughStream implements StreamDecoder {
    private final Endpoint endpoint;
    private final int status;
    private final MultiMap headers;
    private final AnthropicStreamObserver observer = new AnthropicStreamObserver();
    private final SseParser parser;
    /** Bytes fed and not yet taken; the chunk itself while it holds exactly whole frames. */
    private Buffer pending = Buffer.buffer();
    /** Whether {@code pending} is a chunk as it came (never appended to: it may not be ours to grow). */
    private boolean borrowed;
    /** Bytes of the stream taken so far. */
    private long consumed;
    /** Where passing on stops (the start of a malformed frame, or of an error event the router reports itself). */
    private long cut = -1;

    private AttemptFailure failure;
    private ErrorType relayedError;

    PassthroughStream(Endpoint endpoint, int status, MultiMap headers) {
        this.endpoint = endpoint;
        this.status = status;
        this.headers = headers;
        this.parser = new SseParser(event -> {
            if (cut >= 0) {
                return;
            }
            boolean contentBefore = observer.contentStarted();
            boolean errorBefore = observer.errored();
            observer.accept(event);
            if (observer.malformed() != null) {
                cut = parser().completedBytes(); // while dispatching, where this frame began
                failure = PassthroughCodec.malformed(endpoint, observer.malformed());
            } else if (observer.errored() && !errorBefore) {
                if (contentBefore) {
                    relayedError = PassthroughCodec.errorEvent(observer.error())
                            .error()
                            .type();
                } else {
                    cut = parser().completedBytes();
                    failure = PassthroughCodec.errorEvent(observer.error());
                }
            }
        });
    }

    private SseParser parser() {
        return parser;
    }

    @Override
    public int status() {
        return status;
    }

    @Override
    public MultiMap upstreamHeaders() {
        return headers;
    }

    @Override
    public void feed(Buffer chunk) {
        long before = parser.completedBytes();
        parser.feed(chunk);
        if (pending.length() == 0 && cut < 0 && parser.completedBytes() - before == chunk.length()) {
            pending = chunk;
            borrowed = true;
            return;
        }
        if (borrowed) {
            pending = Buffer.buffer(pending.length() + chunk.length()).appendBuffer(pending);
            borrowed = false;
        }
        pending.appendBuffer(chunk);
    }

    @Override
    public Buffer take() {
        long ready = (cut >= 0 ? cut : parser.completedBytes()) - consumed;
        if (ready <= 0) {
            return Buffer.buffer();
        }
        int n = (int) ready;
        Buffer out;
        if (n == pending.length()) {
            out = pending;
            pending = Buffer.buffer();
            borrowed = false;
        } else {
            out = pending.getBuffer(0, n);
            pending = pending.getBuffer(n, pending.length());
            borrowed = false;
        }
        consumed += n;
        return out;
    }

    @Override
    public int pending() {
        return pending.length();
    }

    @Override
    public boolean contentStarted() {
        return observer.contentStarted();
    }

    @Override
    public boolean complete() {
        return observer.complete();
    }

    @Override
    public AttemptFailure failure() {
        return failure;
    }

    @Override
    public void end() {
        if (failure == null && !observer.complete() && relayedError == null) {
            failure = UpstreamFailures.broken(endpoint, null);
        }
    }

    @Override
    public void start() {
        // The upstream's own message_start goes first, as it came.
    }

    @Override
    public Usage usage() {
        return new Usage(
                observer.inputTokens(),
                observer.outputTokens(),
                observer.cacheReadTokens(),
                observer.cacheCreationTokens());
    }

    @Override
    public ErrorType relayedError() {
        return relayedError;
    }
}
