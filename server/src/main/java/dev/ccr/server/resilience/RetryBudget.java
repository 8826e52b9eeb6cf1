package dev.ccr.server.resilience;

import dev.ccr.server.limits.SlidingWindow;
import java.time.Clock;

/**
 * Keeps retries from multiplying load on a struggling upstream (and with Claude Code's own retries): over the last ten
 * seconds, retries may add at most {@code retry.budgetPercent} to the requests that arrived, with a floor of {@value
 * #MIN_PER_SECOND} a second so a quiet router can still retry. Finagle and Envoy budget retries the same way.
 */
public final class RetryBudget {
    static final int MIN_PER_SECOND = 3;
    private static final int SECONDS = 10;

    private final Clock clock;
    private final SlidingWindow requests = new SlidingWindow(SECONDS, 1_000);
    private final SlidingWindow retries = new SlidingWindow(SECONDS, 1_000);

    public RetryBudget(Clock clock) {
        this.clock = clock;
    }

    /** Counts a request's first attempt. */
    public synchronized void requested() {
        requests.add(clock.millis(), 1);
    }

    /** Takes one retry from the budget, if there is one left. */
    public synchronized boolean tryRetry(int percent) {
        long now = clock.millis();
        long allowed = Math.max((long) MIN_PER_SECOND * SECONDS, requests.sum(now) * percent / 100);
        if (retries.sum(now) >= allowed) {
            return false;
        }
        retries.add(now, 1);
        return true;
    }
}
