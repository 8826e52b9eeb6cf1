package dev.ccr.protocol.stats;

import java.util.List;

/**
 * {@code stats/requestsCompleted}: requests that finished since the previous notification, sent by the server to an
 * editor that declared {@link dev.ccr.protocol.lifecycle.ClientCapabilities#requestNotifications()}, at most twice a
 * second.
 *
 * @param requests oldest first; never null or empty
 * @param dropped how many more finished in that time but were left out to keep the message small (the newest are
 *     kept); {@code stats/summary} still counts them
 */
public record RequestsCompletedParams(List<RequestInfo> requests, int dropped) {}
