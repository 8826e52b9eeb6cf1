package dev.ccr.server.observe.usage;

/**
 * Counts over a set of requests.
 *
 * @param requests finished requests
 * @param errors requests that failed (an HTTP status of 400 or more, or an error inside a stream)
 * @param inputTokens input tokens as Anthropic counts them (cache reads and writes excluded)
 * @param outputTokens output tokens
 * @param cacheReadTokens input tokens read from the upstream's prompt cache
 * @param cacheCreationTokens input tokens written to the upstream's prompt cache
 * @param cacheHits answers replayed from the router's response cache
 * @param costUsd what the priced requests cost, in US dollars
 * @param unpricedRequests requests that spent tokens on a model without a known price (not in {@code costUsd})
 * @param estimatedRequests requests whose cost (in {@code costUsd}) is estimated from the model's family
 */
public record UsageTotals(
        long requests,
        long errors,
        long inputTokens,
        long outputTokens,
        long cacheReadTokens,
        long cacheCreationTokens,
        long cacheHits,
        double costUsd,
        long unpricedRequests,
        long estimatedRequests) {

    public static final UsageTotals ZERO = new UsageTotals(0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

    /** Whether every request that spent tokens had a price, so {@code costUsd} is the whole cost. */
    public boolean fullyPriced() {
        return unpricedRequests == 0;
    }
}
