package dev.ccr.protocol.stats;

/**
 * {@code stats/recentRequests}.
 *
 * @param limit how many requests at most; null means 100; the server keeps the latest 500
 */
public record RecentRequestsParams(Integer limit) {}
