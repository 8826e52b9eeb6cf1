package dev.ccr.server.proxy;

import dev.ccr.server.error.ErrorType;
import dev.ccr.server.resilience.AttemptFailure;

/** How one attempt ended; settled exactly once ({@link Attempt#outcome}), and the dispatcher acts on it in one place. */
public sealed interface Outcome {
    /**
     * The attempt answered the client: it committed and its answer is over.
     *
     * @param error how the answer ended when not cleanly (a stream cut short, timed out, or ended by the upstream's own
     *     error event), else {@code null}
     */
    record Answered(int status, ErrorType error) implements Outcome {}

    /** It failed before anything reached the client: another attempt may still answer. */
    record Failed(AttemptFailure failure) implements Outcome {}

    /** The client left before the attempt was over. */
    record ClientGone() implements Outcome {}
}
