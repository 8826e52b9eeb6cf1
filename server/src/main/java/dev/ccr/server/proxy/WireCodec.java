package dev.ccr.server.proxy;

import dev.ccr.server.error.ApiException;
import dev.ccr.server.resilience.AttemptFailure;
import dev.ccr.server.translate.Usage;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;

/**
 * What differs between endpoint formats on the way to the upstream and back: the request that goes up, and how an
 * error, a whole answer and a stream come back as Anthropic's. Everything around it — sending, timeouts, holding a
 * stream until content, pings, back-pressure, failures before and after commit — is the {@link Forwarder}'s and the
 * {@link StreamRelay}'s, the same for every format. Two implementations: {@link PassthroughCodec} (Anthropic format,
 * bytes as they are) and {@link TranslatingCodec} (OpenAI chat completions, Gemini).
 */
public interface WireCodec {
    /** Whether this operation reaches the upstream at all (translated endpoints count tokens locally). */
    boolean callsUpstream(Operation operation);

    /** The answer to an operation that does not reach the upstream. */
    Future<WholeAnswer> answerLocally(Attempt attempt);

    /**
     * Prepares one attempt: what to send, and how to read what comes back. Fails with an {@link ApiException} when the
     * request cannot be sent (no usable key, a request the format cannot express).
     */
    Future<Call> prepare(Attempt attempt);

    /** One attempt's exchange with the upstream, in the endpoint's format. */
    interface Call {
        UpstreamRequest request();

        /** Whether to relay the answer as a stream (else it is read whole first). */
        boolean streams(HttpClientResponse response);

        /**
         * An upstream's error status, as the failure the client would get.
         *
         * @param body the error body, or {@code null} when it could not be read ({@code why} says why)
         */
        AttemptFailure error(HttpClientResponse response, Buffer body, String why);

        /** A whole upstream answer as the client gets it; throws (status 502) when it is unusable. */
        WholeAnswer whole(HttpClientResponse response, Buffer body);

        /** A decoder for a streamed answer. */
        StreamDecoder stream(HttpClientResponse response);
    }

    /** What goes upstream: the URL, the headers (credential included) and the body. */
    record UpstreamRequest(String url, MultiMap headers, Buffer body) {}

    /**
     * A whole answer for the client.
     *
     * @param upstreamHeaders the upstream's headers to relay, or {@code null} when the router composed the answer
     * @param stream whether {@code body} is an event stream
     */
    record WholeAnswer(int status, MultiMap upstreamHeaders, boolean stream, Buffer body, Usage usage) {}
}
