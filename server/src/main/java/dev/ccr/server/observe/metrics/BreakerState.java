package dev.ccr.server.observe.metrics;

import java.util.Locale;

/** A circuit breaker's state, as {@code ccr_endpoint_circuit_state} reports it. */
public enum BreakerState {
    CLOSED,
    OPEN,
    HALF_OPEN;

    /** The {@code state} label value. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
