package dev.ccr.server.resilience;

import dev.ccr.server.config.EffectiveConfig;
import dev.ccr.server.observe.metrics.BreakerState;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;

/** Circuit breakers and busy marks in this process's memory: one machine needs nothing else. */
public final class LocalCircuitBreakers implements CircuitBreakers {
    private final Clock clock;
    private final Map<String, CircuitBreaker> breakers = new ConcurrentHashMap<>();
    private final BusyMarks busy;
    private final List<BiConsumer<String, BreakerView>> listeners = new CopyOnWriteArrayList<>();
    private volatile EffectiveConfig.Breaker settings;

    public LocalCircuitBreakers(EffectiveConfig.Breaker settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
        this.busy = new BusyMarks(clock);
    }

    @Override
    public BreakerAdmission admit(String endpoint) {
        return breaker(endpoint).admit();
    }

    @Override
    public BreakerPass force(String endpoint) {
        return breaker(endpoint).force();
    }

    @Override
    public boolean available(String endpoint) {
        CircuitBreaker breaker = breakers.get(endpoint);
        return breaker == null || breaker.available();
    }

    @Override
    public long readyAt(String endpoint) {
        CircuitBreaker breaker = breakers.get(endpoint);
        return breaker == null ? 0 : breaker.readyAt();
    }

    @Override
    public void markBusy(String key, Duration wait) {
        busy.mark(key, wait);
    }

    @Override
    public void clearBusy(String key) {
        busy.clear(key);
    }

    @Override
    public long busyUntil(String key) {
        return busy.until(key);
    }

    @Override
    public BreakerView view(String endpoint) {
        CircuitBreaker breaker = breakers.get(endpoint);
        long busyUntil = busy.until(endpoint);
        if (breaker == null) {
            return busyUntil == 0 ? BreakerView.CLOSED : new BreakerView(BreakerState.CLOSED, 0, null, busyUntil);
        }
        return breaker.view(busyUntil);
    }

    /** The state alone, for the {@code ccr_endpoint_circuit_state} gauge. */
    public BreakerState state(String endpoint) {
        CircuitBreaker breaker = breakers.get(endpoint);
        return breaker == null ? BreakerState.CLOSED : breaker.state();
    }

    @Override
    public void configure(EffectiveConfig.Breaker next, Collection<String> endpoints) {
        settings = next;
        breakers.keySet().retainAll(endpoints);
        busy.retainEndpoints(endpoints);
        breakers.values().forEach(breaker -> breaker.configure(next));
    }

    /** Opens an endpoint's circuit until {@code until} (epoch milliseconds) because another instance opened its own. */
    public void adoptOpen(String endpoint, long until, String reason) {
        breaker(endpoint).adoptOpen(until, reason);
    }

    /** Closes an endpoint's circuit because another instance saw it answer again. */
    public void adoptClosed(String endpoint) {
        CircuitBreaker breaker = breakers.get(endpoint);
        if (breaker != null) {
            breaker.adoptClosed();
        }
    }

    @Override
    public void onChange(BiConsumer<String, BreakerView> listener) {
        listeners.add(listener);
    }

    private CircuitBreaker breaker(String endpoint) {
        CircuitBreaker breaker = breakers.get(endpoint);
        return breaker != null
                ? breaker
                : breakers.computeIfAbsent(
                        endpoint, name -> new CircuitBreaker(name, settings, clock, () -> changed(name)));
    }

    private void changed(String endpoint) {
        BreakerView view = view(endpoint);
        listeners.forEach(listener -> listener.accept(endpoint, view));
    }
}
