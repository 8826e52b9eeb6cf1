package dev.ccr.protocol.stats;

/**
 * Counts over a set of requests.
 *
 * @param requests finished requests
 * @param errors requests that failed (an HTTP status of 400 or more, or an error inside a stream)
 * @param inputTokens input tokens as Anthropic counts them (cache reads excluded)
 * @param outputTokens output tokens
 * @param cacheReadTokens input tokens read from the upstream's prompt cache
 * @param cacheCreationTokens input tokens written to the upstream's prompt cache
 * @param cacheHits answers replayed from the router's response cache
 * @param duration request duration, arrival to last byte; null when there are no requests
 * @param timeToFirstByte arrival to the first byte sent back; null when no request sent any
 * @param costUsd what the requests cost in US dollars; null when some of them used a model without a known price, or
 *     when the server reports no costs ({@link dev.ccr.protocol.lifecycle.ServerCapabilities#costs()})
 */
public record UsageStats(
        long requests,
        long errors,
        long inputTokens,
        long outputTokens,
        long cacheReadTokens,
        long cacheCreationTokens,
        long cacheHits,
        LatencyStats duration,
        LatencyStats timeToFirstByte,
        Double costUsd) {}
