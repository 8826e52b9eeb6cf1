package dev.ccr.server.resilience;

import dev.ccr.server.error.ApiException;
import dev.ccr.server.error.Fault;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import java.time.Duration;

/**
 * Why one upstream attempt produced no answer for the client, found before anything was sent to the client, so that
 * the request may still be retried or failed over. What follows from it is the {@link Fault}'s to say.
 *
 * @param label a word or status for the attempt trail ({@code x-ccr-attempts}, the request log)
 * @param error what the client gets if this is the last word
 * @param retryAfter the wait the upstream asked for, or {@code null}
 * @param body for an upstream error already in Anthropic shape: its body, relayed as it came; else {@code null}
 * @param headers the upstream's headers going with {@code body}; else {@code null}
 */
public record AttemptFailure(
        Fault fault, String label, ApiException error, Duration retryAfter, Buffer body, MultiMap headers) {

    /** A failure without an upstream answer (no connection, a timeout, a broken answer, a local problem). */
    public static AttemptFailure of(Fault fault, ApiException error) {
        return new AttemptFailure(fault, word(fault), error, null, null, null);
    }

    /** An upstream's error status; {@code body} and {@code headers} when it is relayed as it came. */
    public static AttemptFailure status(ApiException error, Duration retryAfter, Buffer body, MultiMap headers) {
        return new AttemptFailure(
                Fault.ofStatus(error.status(), error.type()),
                Integer.toString(error.status()),
                error,
                retryAfter,
                body,
                headers);
    }

    /** An {@code event: error} from the upstream before any content. */
    public static AttemptFailure event(ApiException error) {
        return new AttemptFailure(
                Fault.ofEvent(error.type()), "error:" + error.type().wireName(), error, null, null, null);
    }

    /** The HTTP status the client would get. */
    public int status() {
        return error.status();
    }

    public boolean retryable() {
        return fault.retryable();
    }

    private static String word(Fault fault) {
        return switch (fault) {
            case NOT_CONNECTED, UNREACHABLE -> "unreachable";
            case TIMEOUT -> "timeout";
            case BROKEN -> "broken";
            case LOCAL -> "not_sent";
            default -> fault.name().toLowerCase(java.util.Locale.ROOT);
        };
    }
}
