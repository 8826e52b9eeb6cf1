package dev.ccr.server.resilience;

import dev.ccr.server.config.EffectiveConfig;
import java.time.Duration;
import java.util.Collection;
import java.util.function.BiConsumer;

/**
 * The health of every endpoint as circuit breakers see it. Alone, the router keeps this in memory ({@link
 * LocalCircuitBreakers}); instances sharing state (DESIGN §7) implement the same interface over a shared store.
 */
public interface CircuitBreakers {
    /** Asks to send one request to the endpoint now. */
    BreakerAdmission admit(String endpoint);

    /** Whether {@link #admit} would let a request through now; changes nothing. */
    boolean available(String endpoint);

    /** The upstream asked for a pause (HTTP 429 with retry-after): skip the endpoint until then, if others can serve. */
    void pause(String endpoint, Duration wait);

    BreakerView view(String endpoint);

    /** Applies (re)loaded settings; forgets endpoints no longer configured. */
    void configure(EffectiveConfig.Breaker settings, Collection<String> endpoints);

    /** Called with the endpoint and its new view after each change of state, on the thread that caused it. */
    void onChange(BiConsumer<String, BreakerView> listener);
}
