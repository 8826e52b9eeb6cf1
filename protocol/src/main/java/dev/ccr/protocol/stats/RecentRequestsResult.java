package dev.ccr.protocol.stats;

import java.util.List;

/**
 * The latest finished requests.
 *
 * @param requests newest first; never null
 */
public record RecentRequestsResult(List<RequestInfo> requests) {}
