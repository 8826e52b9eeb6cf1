package dev.ccr.server.limits;

import dev.ccr.server.config.EffectiveConfig.RateLimits;
import io.vertx.core.Future;
import java.util.Collection;
import java.util.function.Consumer;

/**
 * Requests per minute, tokens per minute and requests in flight, per key (a client, or an endpoint). Alone, the router
 * counts in memory ({@link LocalLimiter}); instances sharing limits count in Redis ({@code team.SharedLimiter},
 * docs/TEAM.md), which is why admission answers with a future.
 */
public interface Limiter {
    /**
     * Takes a slot for one request of about {@code tokens} tokens under {@code limits}, or says how long until one is
     * free. Requests in flight are counted even without limits (for least-busy balancing and metrics).
     *
     * @return the answer; already complete when counted in memory, else completed on the calling event loop, never
     *     failed (a shared store that cannot answer in time is replaced by this instance's own count)
     */
    Future<LimitAdmission> acquire(String key, RateLimits limits, long tokens);

    /** Requests holding a permit of this instance for this key now. */
    int inFlight(String key);

    /** Called with the key (on the releasing thread) each time a permit is released, so waiting requests may retry. */
    void onRelease(Consumer<String> listener);

    /** Forgets keys no longer configured (their permits in flight still release properly). */
    void retainOnly(Collection<String> keys);
}
