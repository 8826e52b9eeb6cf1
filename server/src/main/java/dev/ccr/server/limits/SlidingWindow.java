package dev.ccr.server.limits;

/**
 * Counts what happened in the last {@code buckets × bucketMillis} milliseconds, in buckets: a minute of one-second
 * buckets answers "how many requests in the last minute" to within one second, in constant memory whatever the rate.
 * Callers synchronise (each use is a check and an add that must not interleave).
 */
public final class SlidingWindow {
    private final long bucketMillis;
    private final long[] counts;
    /** Which bucket number (time / bucketMillis) each slot holds. */
    private final long[] slots;

    private long total;

    public SlidingWindow(int buckets, long bucketMillis) {
        this.bucketMillis = bucketMillis;
        this.counts = new long[buckets];
        this.slots = new long[buckets];
        java.util.Arrays.fill(slots, Long.MIN_VALUE);
    }

    /** The sum over the window ending now. */
    public long sum(long now) {
        expire(now);
        return Math.max(0, total);
    }

    /** Adds to the bucket of {@code at}; an amount for a time already out of the window is dropped. */
    public void add(long at, long amount, long now) {
        expire(now);
        long bucket = Math.floorDiv(at, bucketMillis);
        if (bucket <= Math.floorDiv(now, bucketMillis) - counts.length) {
            return;
        }
        int slot = slot(bucket);
        if (slots[slot] != bucket) {
            return; // not yet in use: nothing was counted at that time
        }
        counts[slot] += amount;
        total += amount;
    }

    /** Adds to the current bucket. */
    public void add(long now, long amount) {
        expire(now);
        long bucket = Math.floorDiv(now, bucketMillis);
        int slot = slot(bucket);
        if (slots[slot] != bucket) {
            slots[slot] = bucket;
            counts[slot] = 0;
        }
        counts[slot] += amount;
        total += amount;
    }

    /**
     * How long until the window's sum, plus {@code need}, fits in {@code limit}: when enough of what it holds has aged
     * out. Zero when it fits now; -1 when it never will ({@code need} alone exceeds the limit).
     */
    public long millisUntilFits(long now, long need, long limit) {
        if (need > limit) {
            return -1;
        }
        long sum = sum(now);
        if (sum + need <= limit) {
            return 0;
        }
        long current = Math.floorDiv(now, bucketMillis);
        for (long bucket = current - counts.length + 1; bucket <= current; bucket++) {
            int slot = slot(bucket);
            if (slots[slot] == bucket) {
                sum -= counts[slot];
            }
            if (sum + need <= limit) {
                // That bucket leaves the window when the window's first bucket is the one after it.
                return (bucket + counts.length) * bucketMillis - now;
            }
        }
        return (current + counts.length) * bucketMillis - now;
    }

    private void expire(long now) {
        long oldest = Math.floorDiv(now, bucketMillis) - counts.length + 1;
        for (int i = 0; i < counts.length; i++) {
            if (slots[i] != Long.MIN_VALUE && slots[i] < oldest) {
                total -= counts[i];
                counts[i] = 0;
                slots[i] = Long.MIN_VALUE;
            }
        }
    }

    private int slot(long bucket) {
        return (int) Math.floorMod(bucket, (long) counts.length);
    }
}
