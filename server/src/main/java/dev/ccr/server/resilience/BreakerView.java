package dev.ccr.server.resilience;

import dev.ccr.server.observe.metrics.BreakerState;

/**
 * What a circuit breaker says about an endpoint, for status displays.
 *
 * @param openUntilMillis while open: when the next probe may go (epoch milliseconds); else 0
 * @param reason while open or half-open: the failure that opened it; else {@code null}
 * @param pausedUntilMillis when the upstream asked us to wait (a 429 with retry-after): until when; else 0
 */
public record BreakerView(BreakerState state, long openUntilMillis, String reason, long pausedUntilMillis) {
    public static final BreakerView CLOSED = new BreakerView(BreakerState.CLOSED, 0, null, 0);
}
