package dev.ccr.server.proxy;

import dev.ccr.server.error.ErrorType;
import dev.ccr.server.resilience.AttemptFailure;
import dev.ccr.server.translate.Usage;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;

/**
 * Reads one upstream event stream, chunk by chunk in any split, and says what the client may have of it so far in
 * Anthropic's format, only ever whole frames, so that an error frame can always follow cleanly. The {@link StreamRelay}
 * around it decides when that goes out.
 */
interface StreamDecoder {
    /** The status the client's answer starts with. */
    int status();

    /** The upstream's headers to relay to the client, or {@code null} when the router composes its own. */
    MultiMap upstreamHeaders();

    /** The next chunk from the upstream. */
    void feed(Buffer chunk);

    /** Output ready for the client (whole frames), taken; empty when there is none. */
    Buffer take();

    /** How many bytes of output wait to be taken. */
    int pending();

    /** Whether the answer's content has begun (its first block, or its end): nothing after can be retried. */
    boolean contentStarted();

    /** Whether the message is whole ({@code message_stop} is in the output). */
    boolean complete();

    /**
     * What went wrong, once something did: before content the attempt fails with it (and may be tried again), after
     * it the stream ends with its error. {@code null} while all is well.
     */
    AttemptFailure failure();

    /** The upstream's stream ended: the rest becomes output, or a stream ended too early becomes a failure. */
    void end();

    /** Before a keep-alive commit on a slow upstream: emits what must open the stream ({@code message_start}). */
    void start();

    /** The usage reported so far. */
    Usage usage();

    /** When the upstream's own {@code event: error} was passed on as part of the stream: its type; else null. */
    ErrorType relayedError();
}
