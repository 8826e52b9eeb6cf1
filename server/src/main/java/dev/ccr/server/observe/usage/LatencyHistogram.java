package dev.ccr.server.observe.usage;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Millisecond latencies in buckets about 5% wide (bucket {@code i} holds values up to {@code 1.05^i}), recorded without
 * locks from any thread. Answers percentiles to within 5% in a few kilobytes, however many values it has seen.
 */
final class LatencyHistogram {
    private static final double GROWTH = 1.05;
    private static final double LOG_GROWTH = Math.log(GROWTH);
    /** 1.05^420 ms is centuries: every real latency fits. */
    private static final int BUCKETS = 420;

    private final AtomicLongArray counts = new AtomicLongArray(BUCKETS);
    private final AtomicLong total = new AtomicLong();
    private final AtomicLong max = new AtomicLong();

    void record(long millis) {
        long value = Math.max(0, millis);
        counts.incrementAndGet(bucket(value));
        total.incrementAndGet();
        max.accumulateAndGet(value, Math::max);
    }

    static int bucket(long millis) {
        if (millis <= 1) {
            return 0;
        }
        return Math.min(BUCKETS - 1, (int) Math.ceil(Math.log(millis) / LOG_GROWTH));
    }

    /** The summary, or {@code null} when nothing was recorded. */
    LatencySummary summary() {
        long n = total.get();
        if (n == 0) {
            return null;
        }
        long largest = max.get();
        return new LatencySummary(
                percentile(n, 0.50, largest), percentile(n, 0.90, largest), percentile(n, 0.99, largest), largest);
    }

    private long percentile(long n, double quantile, long largest) {
        long rank = (long) Math.ceil(quantile * n);
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += counts.get(i);
            if (seen >= rank) {
                // The bucket's upper bound, never above the largest value actually seen.
                return Math.min(largest, i == 0 ? 1 : (long) Math.floor(Math.pow(GROWTH, i)));
            }
        }
        return largest;
    }
}
