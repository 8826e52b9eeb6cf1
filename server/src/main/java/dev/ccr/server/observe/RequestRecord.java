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
 * @param upstreamMillis from the first upstream attempt to the upstream's last byte (retries included), or -1 when no
 *     upstream was called
 * @param overheadMicros the router's own share of the duration: everything but {@code upstreamMillis}, in microseconds
 * @param inputTokens input tokens as Anthropic counts them (excluding cache reads)
 * @param attempts upstream attempts made (retries and failovers included)
 * @param attemptTrail each attempt as {@code endpoint=outcome} (a status, or {@code timeout}, {@code unreachable},
 *     {@code broken}, {@code error:<type>}), comma-separated in order; {@code null} when no attempt was made
 * @param cacheHit whether the answer came from the response cache
 * @param bodies the request and response bodies when body logging is on, else {@code null}
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
        long upstreamMillis,
        long overheadMicros,
        long inputTokens,
        long outputTokens,
        long cacheReadTokens,
        long cacheCreationTokens,
        int attempts,
        String attemptTrail,
        boolean cacheHit,
        CapturedBodies bodies) {

    public static final String MESSAGES = "messages";
    public static final String COUNT_TOKENS = "count_tokens";

    /**
     * Whether the request consumed tokens someone pays for: an answered {@code messages} call. Counting tokens is free
     * (and may be done locally), and a response-cache hit made no upstream call.
     */
    public boolean billable() {
        return MESSAGES.equals(operation) && !cacheHit;
    }

    /** Whether the client saw a failure: an error status, or an error inside a started stream. */
    public boolean failed() {
        return status >= 400 || errorType != null;
    }

    public long totalTokens() {
        return inputTokens + outputTokens + cacheReadTokens + cacheCreationTokens;
    }
}
