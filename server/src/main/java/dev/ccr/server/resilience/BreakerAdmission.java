package dev.ccr.server.resilience;

/** A circuit breaker's answer to "may a request go to this endpoint now?": a pass, or a refusal with the reason. */
public sealed interface BreakerAdmission permits BreakerPass, BreakerAdmission.Refused {

    /**
     * The endpoint is skipped.
     *
     * @param retryAtMillis when it may be tried again (epoch milliseconds)
     * @param reason why, in words for the user
     */
    record Refused(long retryAtMillis, String reason) implements BreakerAdmission {}
}
