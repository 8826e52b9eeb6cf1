package dev.ccr.server.proxy;

import dev.ccr.server.error.ApiException;
import dev.ccr.server.error.ErrorResponses;
import dev.ccr.server.error.ErrorType;
import dev.ccr.server.translate.SseEvents;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;

/**
 * The one writer of a request's answer: every byte the client gets goes through here, in one order — {@link #begin}
 * (status, headers, the router's own headers, the first-byte mark), {@link #write}s, then exactly one end, which
 * records the request. An answer is a whole body, a stream, or an error in Anthropic's shape; a stream that breaks ends
 * with an {@code event: error} frame, never quietly.
 */
public final class ClientResponse {
    private final Exchange exchange;
    private final HttpServerResponse response;
    private boolean begun;

    ClientResponse(Exchange exchange, HttpServerResponse response) {
        this.exchange = exchange;
        this.response = response;
    }

    /**
     * Starts the answer. A stream's head goes out at once, so the client learns that it started.
     *
     * @param upstreamHeaders the upstream's headers to relay (an Anthropic-format answer passed through), or {@code
     *     null} for an answer the router composed (then the content type is set here)
     */
    public void begin(int status, MultiMap upstreamHeaders, boolean stream) {
        begun = true;
        response.setStatusCode(status);
        if (upstreamHeaders != null) {
            Headers.copyToClient(upstreamHeaders, response.headers(), false);
        } else if (stream) {
            response.putHeader("content-type", "text/event-stream").putHeader("cache-control", "no-cache");
        } else {
            response.putHeader("content-type", "application/json");
        }
        exchange.describeRouting();
        exchange.trace().firstByte();
        if (stream) {
            response.setChunked(true);
            response.writeHead();
        }
    }

    /** Part of a stream. */
    public void write(Buffer chunk) {
        exchange.sent(chunk);
        response.write(chunk);
    }

    /** The end of a stream that is complete; {@code errorType} when it ended with the upstream's own error event. */
    public void end(String errorType) {
        response.end();
        exchange.finish(response.getStatusCode(), errorType);
    }

    /** A whole answer, begun and ended. */
    public void whole(int status, MultiMap upstreamHeaders, boolean stream, Buffer body) {
        begin(status, upstreamHeaders, stream);
        exchange.sent(body);
        response.end(body);
        exchange.finish(status, null);
    }

    /**
     * An upstream's error answer as it came — status, body and headers ({@code retry-after}, {@code x-should-retry},
     * {@code request-id}), so the client decides as it would talking to the upstream directly — with the router's own
     * headers added.
     */
    public void relayError(int status, MultiMap upstreamHeaders, Buffer body, String errorType) {
        if (begun) {
            fail(new ApiException(ErrorType.forStatus(status), "ccr: the upstream failed after the answer started"));
            return;
        }
        begun = true;
        response.setStatusCode(status);
        Headers.copyToClient(upstreamHeaders, response.headers(), false);
        exchange.describeRouting();
        exchange.trace().firstByte();
        exchange.sent(body);
        response.end(body);
        exchange.finish(status, errorType);
    }

    /**
     * A failure: the router's error in Anthropic's shape when nothing was sent yet; once a stream has begun, an {@code
     * event: error} frame that ends it.
     */
    public void fail(ApiException failure) {
        if (begun && response.headWritten()) {
            Buffer frame = SseEvents.errorFrame(
                    ErrorResponses.body(failure.type().wireName(), failure.getMessage(), exchange.requestId()));
            exchange.sent(frame);
            response.end(frame);
            exchange.finish(response.getStatusCode(), failure.type().wireName());
            return;
        }
        begun = true;
        exchange.describeRouting();
        exchange.trace().firstByte();
        exchange.sent(ErrorResponses.body(failure.type().wireName(), failure.getMessage(), exchange.requestId()));
        ErrorResponses.send(response, failure, exchange.requestId());
        exchange.finish(failure.status(), failure.type().wireName());
    }

    /** Whether the answer has begun: from here on it cannot be retried. */
    public boolean begun() {
        return begun;
    }

    public boolean writeQueueFull() {
        return response.writeQueueFull();
    }

    public void drainHandler(Handler<Void> handler) {
        response.drainHandler(handler);
    }
}
