package dev.ccr.server.resilience;

/** Carries an {@link AttemptFailure} through a failed future; stackless, since it is expected and never logged. */
public final class AttemptFailedException extends RuntimeException {
    private final transient AttemptFailure failure;

    public AttemptFailedException(AttemptFailure failure) {
        super(failure.error().getMessage(), null, false, false);
        this.failure = failure;
    }

    public AttemptFailure failure() {
        return failure;
    }
}
