package dev.ccr.server.resilience;

import dev.ccr.server.error.ApiException;
import dev.ccr.server.error.ErrorType;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import java.time.Duration;

/**
 * Why one upstream attempt produced no answer for the client, found before anything was sent to the client, so that
 * the request may still be retried or failed over.
 *
 * @param kind what kind of failure it was
 * @param error what the client gets if this is the last word
 * @param retryAfter the wait the upstream asked for, or {@code null}
 * @param body for an upstream error already in Anthropic shape: its body, relayed as it came; else {@code null}
 * @param headers the upstream's headers going with {@code body}; else {@code null}
 */
public record AttemptFailure(Kind kind, ApiException error, Duration retryAfter, Buffer body, MultiMap headers) {

    /** What went wrong, as far as retrying is concerned. */
    public enum Kind {
        /** The connection was refused or the host name did not resolve: the request certainly never left the router. */
        NOT_CONNECTED,
        /** No answer, and the request may have reached the upstream: TLS failure, connect timeout, a closed connection. */
        UNREACHABLE,
        /** The upstream did not answer (or start answering) in time. */
        TIMEOUT,
        /** The upstream answered with an error status. */
        STATUS,
        /** The upstream's stream began with an {@code event: error} before any content. */
        STREAM_ERROR,
        /** The answer broke off, or was not what the format promises, before any content reached the client. */
        BROKEN,
        /** The router could not even send the request (no usable key, a request the format cannot express). */
        LOCAL
    }

    public static AttemptFailure of(Kind kind, ApiException error) {
        return new AttemptFailure(kind, error, null, null, null);
    }

    /** The HTTP status the client would get. */
    public int status() {
        return error.status();
    }

    /**
     * Whether another attempt may succeed: connection failures, timeouts, broken answers, and the statuses Claude Code
     * itself retries (408, 409, 429, 5xx including 529), also when they arrive as an error event.
     */
    public boolean retryable() {
        return switch (kind) {
            case NOT_CONNECTED, UNREACHABLE, TIMEOUT, BROKEN -> true;
            case STATUS, STREAM_ERROR -> retryableStatus(status());
            case LOCAL -> false;
        };
    }

    /**
     * Whether this speaks against the endpoint's health (a circuit breaker failure), not against the request: it could
     * not be reached, did not answer in time, broke its answer, or failed with a server error. A busy answer does not
     * count: 429 and 529 say "not now", not "broken", and are everyday events for Claude Code's users.
     */
    public boolean endpointFault() {
        return switch (kind) {
            case NOT_CONNECTED, UNREACHABLE, TIMEOUT, BROKEN -> true;
            case STATUS, STREAM_ERROR -> !busy() && (status() >= 500 || status() == 408);
            case LOCAL -> false;
        };
    }

    /** Whether the upstream said "not now": rate limited (429) or overloaded (529), by status or error type. */
    public boolean busy() {
        return switch (kind) {
            case STATUS, STREAM_ERROR ->
                status() == 429
                        || status() == 529
                        || error.type() == ErrorType.RATE_LIMIT
                        || error.type() == ErrorType.OVERLOADED;
            default -> false;
        };
    }

    /** A word or status for the attempt trail ({@code x-ccr-attempts}, the request log). */
    public String label() {
        return switch (kind) {
            case NOT_CONNECTED, UNREACHABLE -> "unreachable";
            case TIMEOUT -> "timeout";
            case STATUS -> Integer.toString(status());
            case STREAM_ERROR -> "error:" + error.type().wireName();
            case BROKEN -> "broken";
            case LOCAL -> "not_sent";
        };
    }

    static boolean retryableStatus(int status) {
        return status == 408 || status == 409 || status == 429 || status >= 500;
    }
}
