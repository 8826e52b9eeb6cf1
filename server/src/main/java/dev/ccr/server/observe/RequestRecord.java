package dev.ccr.server.observe;

/**
 * Everything known about one finished request: what the request log writes, what metrics and usage count, what the
 * editor's dashboard shows. Holds names, never secrets.
 *
 * @param requestId the router's id ({@code req_ccr_…})
 * @param startedAt epoch milliseconds when the request arrived
 * @param sessionId Claude Code's {@code x-claude-code-session-id}, or {@code null}
 * @param client the router token's name, or {@code local} when no token is in use
 * @param operation {@code messages} or {@code count_tokens}
 * @param requestedModel the model the client asked for
 * @param route why the target was chosen ({@code explicit}, {@code default}, …), or {@code null} if never routed
 * @param endpoint the endpoint's name, or {@code null} if never routed
 * @param upstreamModel the model the endpoint was asked for, or {@code null}
 * @param status the HTTP status the client got; 499 when the client went away first
 * @param errorType the Anthropic error type when the request failed (also after a 200, in the stream), else {@code null}
 * @param stream whether the client asked for a stream
 * @param timeToFirstByteMillis from arrival to the first response byte, or -1 when nothing was sent
 * @param durationMillis from arrival to the last byte
 * @param inputTokens input tokens as Anthropic counts them (excluding cache reads)
 * @param attempts upstream attempts made (retries and failovers included)
 * @param cacheHit whether the answer came from the response cache
 */
public record RequestRecord(
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
        boolean cacheHit) {}
