package dev.ccr.server.observe;

import dev.ccr.server.observe.metrics.BreakerState;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Each endpoint's health as the latest request (or test) that reached it tells it, overridden by its circuit breaker
 * while that skips the endpoint (open) or probes it (half-open): the editor's status bar then says so, rather than
 * "healthy" because an older request happened to succeed. Listeners hear only about changes, so a busy endpoint that
 * stays healthy costs nothing beyond a map lookup per request.
 */
public final class EndpointHealthTracker implements RequestListener {
    /** What is known about an endpoint. */
    public enum State {
        UNKNOWN,
        HEALTHY,
        FAILING
    }

    /**
     * The latest verdict.
     *
     * @param error what failed, when {@link State#FAILING}; else null
     */
    public record Health(State state, String error) {
        static final Health UNKNOWN = new Health(State.UNKNOWN, null);
    }

    private final Map<String, Health> health = new ConcurrentHashMap<>();
    private final Map<String, Health> circuits = new ConcurrentHashMap<>();
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

    public Health of(String endpoint) {
        Health circuit = circuits.get(endpoint);
        return circuit != null ? circuit : health.getOrDefault(endpoint, Health.UNKNOWN);
    }

    /**
     * The endpoint's circuit breaker changed state.
     *
     * @param detail why it is open or half-open, for the user; ignored when closed
     */
    public void circuitChanged(String endpoint, BreakerState state, String detail) {
        Health previous = state == BreakerState.CLOSED
                ? circuits.remove(endpoint)
                : circuits.put(endpoint, new Health(State.FAILING, "circuit " + state.label() + ": " + detail));
        if (previous != null || state != BreakerState.CLOSED) {
            listeners.forEach(Runnable::run);
        }
    }

    /** Called after each change, on the thread that made it. */
    public void onChange(Runnable listener) {
        listeners.add(listener);
    }

    @Override
    public void completed(RequestRecord record) {
        if (record.endpoint() == null || record.status() == 499) {
            return; // never routed, or the client left before the endpoint answered
        }
        boolean failing = record.status() >= 500
                || record.status() == 401
                || record.status() == 403
                || "overloaded_error".equals(record.errorType())
                || "api_error".equals(record.errorType())
                || "timeout_error".equals(record.errorType());
        report(
                record.endpoint(),
                failing
                        ? new Health(
                                State.FAILING,
                                "HTTP " + record.status()
                                        + (record.errorType() == null ? "" : " " + record.errorType()))
                        : new Health(State.HEALTHY, null));
    }

    /** Records a verdict from elsewhere (an endpoint test). */
    public void report(String endpoint, Health verdict) {
        Health previous = health.put(endpoint, verdict);
        if (!verdict.equals(previous)) {
            listeners.forEach(Runnable::run);
        }
    }

    /** Forgets endpoints that no longer exist. */
    public void retainOnly(java.util.Collection<String> endpoints) {
        if (health.keySet().retainAll(endpoints) | circuits.keySet().retainAll(endpoints)) {
            listeners.forEach(Runnable::run);
        }
    }
}
