package dev.ccr.server.observe;

/**
 * Counts of millisecond latencies in buckets about 5% wide (exact below 32 ms), so percentiles cost a few hundred longs
 * however many requests there were, and are within 5% of the exact value. Not thread-safe.
 */
final class LatencyHistogram {
    private static final int LINEAR = 32;
    private static final double GROWTH = 1.05;
    /** Enough buckets for a day; longer values land in the last one. */
    private static final int BUCKETS = LINEAR + (int) Math.ceil(Math.log(86_400_000.0 / LINEAR) / Math.log(GROWTH));

    private final long[] counts = new long[BUCKETS];
    private long total;
    private long max;

    void record(long millis) {
        if (millis < 0) {
            return;
        }
        counts[bucket(millis)]++;
        total++;
        max = Math.max(max, millis);
    }

    long count() {
        return total;
    }

    long max() {
        return max;
    }

    /** The value below which {@code fraction} of the values fall, never above the largest one seen. */
    long percentile(double fraction) {
        if (total == 0) {
            return 0;
        }
        long rank = Math.max(1, (long) Math.ceil(fraction * total));
        long seen = 0;
        for (int b = 0; b < BUCKETS; b++) {
            seen += counts[b];
            if (seen >= rank) {
                return Math.min(representative(b), max);
            }
        }
        return max;
    }

    static int bucket(long millis) {
        if (millis < LINEAR) {
            return (int) millis;
        }
        int b = LINEAR + (int) Math.floor(Math.log((double) millis / LINEAR) / Math.log(GROWTH));
        return Math.min(b, BUCKETS - 1);
    }

    /** The middle of a bucket. */
    static long representative(int bucket) {
        if (bucket < LINEAR) {
            return bucket;
        }
        double lower = LINEAR * Math.pow(GROWTH, bucket - LINEAR);
        return Math.round(lower * Math.sqrt(GROWTH));
    }
}
