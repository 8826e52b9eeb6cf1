package dev.ccr.server.observe.usage;

/**
 * A latency distribution in milliseconds. Percentiles come from buckets about 5% wide, so they are within 5% of the
 * exact value; {@code max} is exact.
 */
public record LatencySummary(long p50, long p90, long p99, long max) {}
