package dev.ccr.server.limits;

import java.time.Duration;

/** The answer to "may one more request go now?": a permit to hold while it runs, or a refusal. */
public sealed interface LimitAdmission permits Permit, LimitAdmission.Refused {

    /**
     * Not now.
     *
     * @param retryAfter when trying again can succeed; {@code null} when it never will (a request larger than the
     *     tokens-per-minute limit)
     * @param reason what limit was hit, in words for the user
     * @param waitable whether waiting (in the queue, or by the client retrying on its own) can help soon; false for a
     *     spent daily budget and for a request that can never fit
     */
    record Refused(Duration retryAfter, String reason, boolean waitable) implements LimitAdmission {}
}
