package dev.ccr.server.resilience;

import dev.ccr.server.config.EffectiveConfig;
import java.time.Duration;
import java.util.Collection;
import java.util.function.BiConsumer;

/**
 * The health of every endpoint as circuit breakers see it, and which endpoints said "not now" (busy). Alone, the
 * router keeps this in memory ({@link LocalCircuitBreakers}); instances sharing state implement the same interface over
 * a shared store.
 *
 * <p>Neither ever refuses a request on its own: they order a route's targets and let the dispatcher skip one while
 * another can serve (docs/RESILIENCE.md, "never worse than direct").
 */
public interface CircuitBreakers {
    /** Asks to send one request to the endpoint now: a pass, or a refusal while its circuit is open. */
    BreakerAdmission admit(String endpoint);

    /**
     * A pass for an endpoint whose circuit refused, when no other target of the route can serve: the request goes
     * anyway (as Envoy does below its panic threshold). A success closes the circuit; a failure leaves its schedule as
     * it was.
     */
    BreakerPass force(String endpoint);

    /** Whether {@link #admit} would let a request through now; changes nothing. */
    boolean available(String endpoint);

    /**
     * When the endpoint's circuit lets requests through again (epoch milliseconds); at or before now when it does
     * already. Orders targets that are all unavailable: the one that recovers first goes first.
     */
    long readyAt(String endpoint);

    /**
     * The upstream said "not now" (HTTP 429 or 529), or just failed a request: prefer other targets until {@code wait}
     * has passed. This never opens the circuit (a busy endpoint is not a broken one) and never refuses a request.
     *
     * @param key the endpoint's name, or {@link #busyKey} of it and a client when only that client's key is limited
     */
    void markBusy(String key, Duration wait);

    /** The endpoint (or the client's key there) answered a request: it is not busy any more. */
    void clearBusy(String key);

    /** Until when {@code key} is marked busy (epoch milliseconds), or 0. */
    long busyUntil(String key);

    /** The busy key for one client's own credential at an endpoint that forwards clients' keys. */
    static String busyKey(String endpoint, String client) {
        return endpoint + "\u0000" + client;
    }

    BreakerView view(String endpoint);

    /** Applies (re)loaded settings; forgets endpoints no longer configured. */
    void configure(EffectiveConfig.Breaker settings, Collection<String> endpoints);

    /** Called with the endpoint and its new view after each change of state, on the thread that caused it. */
    void onChange(BiConsumer<String, BreakerView> listener);
}
