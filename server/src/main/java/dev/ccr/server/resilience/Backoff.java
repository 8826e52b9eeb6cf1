package dev.ccr.server.resilience;

import dev.ccr.server.config.EffectiveConfig;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/** How long to wait before trying the same target again. */
public final class Backoff {
    private Backoff() {}

    /**
     * The wait before retry {@code n} (1 for the first) of the same target: the upstream's {@code retry-after} when it
     * gave one, else exponential from {@code initialBackoff}, capped at {@code maxBackoff}, with "equal jitter" (half
     * fixed, half random) so that many clients failing together do not retry together.
     */
    public static Duration before(int n, Duration retryAfter, EffectiveConfig.Retry settings) {
        if (retryAfter != null) {
            return retryAfter;
        }
        long base = settings.initialBackoff().toMillis();
        long cap = settings.maxBackoff().toMillis();
        long exponential = Math.min(cap, base << Math.min(20, Math.max(0, n - 1)));
        long half = exponential / 2;
        return Duration.ofMillis(
                half + (half == 0 ? 0 : ThreadLocalRandom.current().nextLong(half + 1)));
    }
}
