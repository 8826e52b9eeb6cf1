package dev.ccr.server.limits;

import dev.ccr.server.config.EffectiveConfig.RateLimits;
import java.util.Collection;
import java.util.function.Consumer;

/**
 * Requests per minute, tokens per minute and requests in flight, per key (a client, or an endpoint). Alone, the router
 * counts in memory ({@link LocalLimiter}); instances sharing limits (DESIGN §7) implement the same interface.
 */
public interface Limiter {
    /**
     * Takes a slot for one request of about {@code tokens} tokens under {@code limits}, or says how long until one is
     * free. Requests in flight are counted even without limits (for least-busy balancing and metrics).
     */
    LimitAdmission acquire(String key, RateLimits limits, long tokens);

    /** Requests holding a permit for this key now. */
    int inFlight(String key);

    /** Called with the key (on the releasing thread) each time a permit is released, so waiting requests may retry. */
    void onRelease(Consumer<String> listener);

    /** Forgets keys no longer configured (their permits in flight still release properly). */
    void retainOnly(Collection<String> keys);
}
