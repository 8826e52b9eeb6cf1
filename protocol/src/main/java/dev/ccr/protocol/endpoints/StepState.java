package dev.ccr.protocol.endpoints;

/** Where a test step is. */
public enum StepState {
    /** The step began. */
    STARTED,
    /** The step finished well. */
    SUCCEEDED,
    /** The step failed; the message says why. Later steps are skipped. */
    FAILED,
    /** The step did not apply (no key to check, say). */
    SKIPPED
}
