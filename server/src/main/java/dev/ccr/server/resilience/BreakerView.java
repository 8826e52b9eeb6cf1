package dev.ccr.server.resilience;

import dev.ccr.server.observe.metrics.BreakerState;

/**
 * What a circuit breaker says about an endpoint, for status displays.
 *
 * @param openUntilMillis while open: when the next probe may go (epoch milliseconds); else 0
 * @param reason while open or half-open: the failure that opened it; else {@code null}
 * @param busyUntilMillis when the upstream said "not now" (a 429 or 529): until when other targets are preferred;
 *     else 0
 */
public record BreakerView(BreakerState state, long openUntilMillis, String reason, long busyUntilMillis) {
    public static final BreakerView CLOSED = new BreakerView(BreakerState.CLOSED, 0, null, 0);
}
