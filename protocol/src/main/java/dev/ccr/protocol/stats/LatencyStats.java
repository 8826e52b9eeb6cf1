package dev.ccr.protocol.stats;

/**
 * A latency distribution in milliseconds. Percentiles come from a histogram whose buckets are about 5% wide, so they
 * are within 5% of the exact value; {@code max} is exact.
 *
 * @param p50 the median
 * @param p90 90th percentile
 * @param p99 99th percentile
 * @param max the largest value seen
 */
public record LatencyStats(long p50, long p90, long p99, long max) {}
