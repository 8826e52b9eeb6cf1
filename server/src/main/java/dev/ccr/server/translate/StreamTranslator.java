package dev.ccr.server.translate;

import dev.ccr.server.sse.SseEvent;

/**
 * Translates one upstream event stream into Anthropic events, incrementally: each upstream event yields its Anthropic
 * events at once. Failures are thrown as {@link dev.ccr.server.error.ApiException}; the caller turns them into an HTTP
 * error (nothing sent yet) or an {@code event: error} frame.
 */
public interface StreamTranslator {
    /** One upstream SSE event. Throws when the upstream reports an error or sends something unusable. */
    void accept(SseEvent event);

    /** The upstream stream ended; throws when it ended before its finish marker. */
    void end();

    /** Sends {@code message_start} now if it has not gone yet (before keep-alive pings on a slow upstream). */
    void start();

    /** Usage so far; final once the stream ended. */
    Usage usage();
}
