package dev.ccr.server.balance;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Each endpoint's recent time to first byte, as an exponentially weighted moving average: the latest sample counts
 * for {@link #WEIGHT}, so the average follows an endpoint that slows down within a few requests. Lock-free.
 */
public final class LatencyTracker {
    /** The weight of the newest sample. */
    static final double WEIGHT = 0.3;

    private final Map<String, Average> averages = new ConcurrentHashMap<>();

    /** Records one time to first byte. */
    public void record(String endpoint, long millis, long nowMillis) {
        averages.computeIfAbsent(endpoint, e -> new Average()).add(millis, nowMillis);
    }

    /** The average, or {@code NaN} while nothing was measured. */
    public double millis(String endpoint) {
        Average average = averages.get(endpoint);
        return average == null ? Double.NaN : Double.longBitsToDouble(average.bits.get());
    }

    /** When the endpoint was last measured (epoch milliseconds), or 0. */
    public long lastSample(String endpoint) {
        Average average = averages.get(endpoint);
        return average == null ? 0 : average.last;
    }

    /** Forgets endpoints no longer configured. */
    public void retainOnly(java.util.Collection<String> endpoints) {
        averages.keySet().retainAll(endpoints);
    }

    private static final class Average {
        final AtomicLong bits = new AtomicLong(Double.doubleToLongBits(Double.NaN));
        volatile long last;

        void add(long millis, long now) {
            bits.updateAndGet(old -> {
                double previous = Double.longBitsToDouble(old);
                double next = Double.isNaN(previous) ? millis : previous + WEIGHT * (millis - previous);
                return Double.doubleToLongBits(next);
            });
            last = now;
        }
    }
}
