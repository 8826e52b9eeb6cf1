package dev.ccr.server.proxy;

import dev.ccr.server.config.Endpoint;
import dev.ccr.server.error.ApiException;
import dev.ccr.server.error.Fault;
import dev.ccr.server.resilience.AttemptFailedException;
import dev.ccr.server.resilience.AttemptFailure;
import dev.ccr.server.upstream.UpstreamBodies;
import dev.ccr.server.upstream.UpstreamFailures;
import dev.ccr.server.upstream.Upstreams;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;

/**
 * Sends one attempt to its endpoint and gets the answer to the client, in every format the same way; what differs per
 * format is the {@link WireCodec}'s. An error status is read whole and becomes the attempt's failure; a whole answer is
 * read before it is passed on, so that one that breaks can still be tried again; a stream goes through the {@link
 * StreamRelay}. The attempt's {@link Attempt#outcome} says how it ended.
 */
public final class Forwarder {
    /** Error bodies are read whole to check and translate them; anything bigger is not an API error body. */
    private static final int MAX_ERROR_BODY = 1 << 20;
    /** A whole answer is read before it is passed on, so it can be retried if it breaks; this bounds the memory. */
    private static final int MAX_RESPONSE_BODY = 64 << 20;

    private final Vertx vertx;
    private final Upstreams upstreams;
    private final WireCodec codec;

    public Forwarder(Vertx vertx, Upstreams upstreams, WireCodec codec) {
        this.vertx = vertx;
        this.upstreams = upstreams;
        this.codec = codec;
    }

    /** Whether this operation reaches the upstream at all (translated endpoints count tokens locally). */
    public boolean callsUpstream(Operation operation) {
        return codec.callsUpstream(operation);
    }

    public void forward(Attempt attempt) {
        if (!codec.callsUpstream(attempt.operation())) {
            codec.answerLocally(attempt).onComplete(answer -> {
                if (answer.succeeded()) {
                    answer(attempt, answer.result());
                } else {
                    failed(attempt, answer.cause());
                }
            });
            return;
        }
        Future<WireCodec.Call> prepared;
        try {
            prepared = codec.prepare(attempt);
        } catch (ApiException failure) {
            prepared = Future.failedFuture(failure);
        }
        prepared.onSuccess(call -> send(attempt, call)
                        .onSuccess(response -> relay(attempt, call, response))
                        .onFailure(failure -> failed(attempt, failure)))
                .onFailure(failure -> failed(attempt, failure));
    }

    private Future<HttpClientResponse> send(Attempt attempt, WireCodec.Call call) {
        Endpoint endpoint = attempt.target().endpoint();
        WireCodec.UpstreamRequest request = call.request();
        RequestOptions options = new RequestOptions()
                .setMethod(HttpMethod.POST)
                .setAbsoluteURI(request.url())
                .setHeaders(request.headers())
                .setConnectTimeout(attempt.timeouts().connect().toMillis())
                .setIdleTimeout(attempt.timeouts().idle().toMillis());
        return upstreams
                .client(endpoint)
                .request(options)
                .compose(upstreamRequest -> {
                    attempt.upstreamRequest(upstreamRequest);
                    return upstreamRequest.send(request.body());
                })
                .recover(failure -> Future.failedFuture(
                        new AttemptFailedException(UpstreamFailures.unanswered(endpoint, failure))));
    }

    /** Nothing came back to relay: no connection, no answer, or a request that could not be sent. */
    private static void failed(Attempt attempt, Throwable failure) {
        attempt.exchange().trace().upstreamDone();
        if (!attempt.live()) {
            return;
        }
        attempt.failed(
                failure instanceof AttemptFailedException unanswered
                        ? unanswered.failure()
                        : failure instanceof ApiException api
                                ? AttemptFailure.of(Fault.LOCAL, api)
                                : UpstreamFailures.unanswered(attempt.target().endpoint(), failure));
    }

    private void relay(Attempt attempt, WireCodec.Call call, HttpClientResponse response) {
        if (!attempt.live()) {
            response.request().reset();
            return;
        }
        attempt.headReceived();
        if (response.statusCode() >= 400) {
            UpstreamBodies.read(
                            vertx, response, MAX_ERROR_BODY, attempt.timeouts().idle())
                    .onComplete(body -> {
                        attempt.exchange().trace().upstreamDone();
                        if (attempt.live()) {
                            attempt.failed(call.error(response, body.result(), unreadable(body.cause())));
                        }
                    });
            return;
        }
        if (call.streams(response)) {
            new StreamRelay(vertx, attempt, response, call.stream(response)).run();
            return;
        }
        UpstreamBodies.read(
                        vertx, response, MAX_RESPONSE_BODY, attempt.timeouts().idle())
                .onComplete(body -> {
                    attempt.exchange().trace().upstreamDone();
                    if (!attempt.live()) {
                        return;
                    }
                    if (body.failed()) {
                        attempt.failed(UpstreamFailures.broken(attempt.target().endpoint(), body.cause()));
                        return;
                    }
                    WireCodec.WholeAnswer answer;
                    try {
                        answer = call.whole(response, body.result());
                    } catch (ApiException unusable) {
                        attempt.failed(
                                unusable.status() == 502
                                        ? AttemptFailure.of(Fault.BROKEN, unusable)
                                        : AttemptFailure.event(unusable));
                        return;
                    }
                    answer(attempt, answer);
                });
    }

    private static String unreadable(Throwable failure) {
        if (failure == null) {
            return null;
        }
        return failure instanceof UpstreamBodies.TooLarge
                ? "the error body was too large to show"
                : "the error body broke off";
    }

    /** A whole answer for the client: committed, settled, sent. */
    private static void answer(Attempt attempt, WireCodec.WholeAnswer answer) {
        if (!attempt.commit(answer.status())) {
            return;
        }
        attempt.exchange().trace().usage(answer.usage());
        attempt.answered(answer.status(), null);
        attempt.exchange().client().whole(answer.status(), answer.upstreamHeaders(), answer.stream(), answer.body());
    }
}
