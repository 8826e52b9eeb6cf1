package dev.ccr.protocol.stats;

/**
 * One finished request. Holds names, never credentials or message content.
 *
 * @param requestId the router's id, also in the {@code request-id} response header and the log; never null
 * @param startedAt when it arrived, epoch milliseconds
 * @param sessionId Claude Code's session id; null when the client sent none
 * @param client the router token's name, or {@code "local"} when no token is in use; null when refused before
 *     authentication
 * @param operation {@code "messages"} or {@code "count_tokens"}; never null
 * @param requestedModel the model the client asked for; null when the request was refused before it was read
 * @param route why the endpoint was chosen ({@code explicit}, {@code default}, a route or rule name); null when never
 *     routed
 * @param endpoint the endpoint that served it; null when never routed
 * @param upstreamModel the model the endpoint was asked for; null when never routed
 * @param status the HTTP status the client got; 499 when the client went away first
 * @param errorType the Anthropic error type when it failed (also after a 200, inside the stream); null on success
 * @param stream whether the client asked for a stream
 * @param timeToFirstByteMillis arrival to the first byte sent back; -1 when nothing was sent
 * @param durationMillis arrival to the last byte
 * @param inputTokens input tokens (cache reads excluded)
 * @param outputTokens output tokens
 * @param cacheReadTokens input tokens read from the prompt cache
 * @param cacheCreationTokens input tokens written to the prompt cache
 * @param attempts upstream attempts, retries and failovers included
 * @param cacheHit whether the answer came from the router's response cache
 * @param costUsd the cost in US dollars; null when the model has no known price
 */
public record RequestInfo(
        String requestId,
        long startedAt,
        String sessionId,
        String client,
        String operation,
        String requestedModel,
        String route,
        String endpoint,
        String upstreamModel,
        int status,
        String errorType,
        boolean stream,
        long timeToFirstByteMillis,
        long durationMillis,
        long inputTokens,
        long outputTokens,
        long cacheReadTokens,
        long cacheCreationTokens,
        int attempts,
        boolean cacheHit,
        Double costUsd) {}
