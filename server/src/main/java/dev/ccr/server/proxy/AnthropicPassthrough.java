package dev.ccr.server.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ccr.server.config.Endpoint;
import dev.ccr.server.config.Secret;
import dev.ccr.server.error.ApiException;
import dev.ccr.server.error.ErrorType;
import dev.ccr.server.resilience.AttemptFailedException;
import dev.ccr.server.resilience.AttemptFailure;
import dev.ccr.server.resilience.RetryAfter;
import dev.ccr.server.sse.AnthropicStreamObserver;
import dev.ccr.server.sse.SseParser;
import dev.ccr.server.translate.UpstreamErrors;
import dev.ccr.server.upstream.EndpointCredentials;
import dev.ccr.server.upstream.SilenceWatch;
import dev.ccr.server.upstream.UpstreamBodies;
import dev.ccr.server.upstream.UpstreamFailures;
import dev.ccr.server.upstream.Upstreams;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.RequestOptions;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Forwards a request to an Anthropic-format endpoint and relays the answer: the body goes up as the client sent it
 * (only the model may be swapped), the client's credential is replaced by the endpoint's, and the response streams
 * back event by event as it arrives.
 *
 * <p>The client's response starts only once the upstream's content has begun (its first content block): an error
 * status, or an {@code event: error} right after {@code message_start}, can then still be retried or failed over, and
 * reaches the client with its real status. Frames are forwarded whole, so if the upstream fails midway the client
 * receives a clean {@code event: error} rather than a stream that merely stops; a malformed frame is never forwarded.
 */
public final class AnthropicPassthrough implements Forwarder {
    private static final Logger log = LoggerFactory.getLogger(AnthropicPassthrough.class);
    /** Error bodies are read whole to check their shape; anything bigger than this is not an API error body. */
    private static final int MAX_ERROR_BODY = 1 << 20;
    /** A whole answer is read before it is passed on, so it can be retried if it breaks; this bounds the memory. */
    private static final int MAX_RESPONSE_BODY = 64 << 20;
    /** What may be held back before content starts (message_start and pings); past it, the stream is committed. */
    private static final int MAX_HELD = 256 << 10;

    private final Vertx vertx;
    private final Upstreams upstreams;
    private final EndpointCredentials credentials;

    public AnthropicPassthrough(Vertx vertx, Upstreams upstreams, EndpointCredentials credentials) {
        this.vertx = vertx;
        this.upstreams = upstreams;
        this.credentials = credentials;
    }

    @Override
    public void forward(Attempt attempt) {
        Exchange exchange = attempt.exchange();
        Endpoint endpoint = attempt.target().endpoint();
        Buffer body = attempt.request().withModel(attempt.target().model());
        credentials
                .apiKey(endpoint)
                .compose(key -> {
                    MultiMap headers = Headers.forUpstream(exchange.request().headers());
                    endpoint.headers().forEach((name, value) -> {
                        if (value.isAvailable()) {
                            headers.set(name, value.reveal());
                        }
                    });
                    setCredential(headers, endpoint, key, exchange.identity());
                    String query = exchange.request().query();
                    RequestOptions options = new RequestOptions()
                            .setMethod(HttpMethod.POST)
                            .setAbsoluteURI(endpoint.url(attempt.operation().anthropicPath())
                                    + (query == null ? "" : "?" + query))
                            .setHeaders(headers)
                            .setConnectTimeout(attempt.timeouts().connect().toMillis())
                            .setIdleTimeout(attempt.timeouts().idle().toMillis());
                    return upstreams
                            .client(endpoint)
                            .request(options)
                            .compose(upstreamRequest -> {
                                attempt.upstreamRequest(upstreamRequest);
                                return upstreamRequest.send(body);
                            })
                            .recover(failure -> Future.failedFuture(
                                    new AttemptFailedException(UpstreamFailures.unanswered(endpoint, failure))));
                })
                .onSuccess(response -> relay(attempt, response))
                .onFailure(failure -> {
                    exchange.upstreamDone();
                    if (attempt.live()) {
                        attempt.failed(
                                failure instanceof AttemptFailedException unanswered
                                        ? unanswered.failure()
                                        : failure instanceof ApiException api
                                                ? AttemptFailure.of(AttemptFailure.Kind.LOCAL, api)
                                                : UpstreamFailures.unanswered(endpoint, failure));
                    }
                });
    }

    private static void setCredential(MultiMap headers, Endpoint endpoint, Secret key, ClientIdentity identity) {
        if (key != null) {
            if (!key.isAvailable()) {
                throw ApiException.authentication("ccr: endpoint \"" + endpoint.name() + "\" has no usable apiKey: "
                        + key.problem().orElse("unknown reason"));
            }
            headers.set("x-api-key", key.reveal());
            return;
        }
        if (identity.clientKey() == null) {
            throw ApiException.authentication("ccr: endpoint \"" + endpoint.name() + "\" has no apiKey and the request"
                    + " carried no Anthropic key to forward; set apiKey in the config, or send your own key (for"
                    + " example ANTHROPIC_AUTH_TOKEN=ccr:<your key>)");
        }
        if (identity.clientKeyAsBearer()) {
            headers.set("authorization", "Bearer " + identity.clientKey());
        } else {
            headers.set("x-api-key", identity.clientKey());
        }
    }

    private void relay(Attempt attempt, HttpClientResponse upstream) {
        if (!attempt.live()) {
            upstream.request().reset();
            return;
        }
        attempt.headReceived();
        if (upstream.statusCode() >= 400) {
            relayError(attempt, upstream);
            return;
        }
        String contentType = upstream.getHeader("content-type");
        if (contentType != null && contentType.startsWith("text/event-stream")) {
            new StreamRelay(attempt, upstream).run();
        } else {
            relayWhole(attempt, upstream);
        }
    }

    /**
     * Reads an upstream error and reports it: passed through as it came when it is in Anthropic shape (Claude Code shows
     * its message), wrapped otherwise (a proxy's HTML page, say) so the client still gets the shape it understands,
     * with the upstream's status either way.
     */
    private void relayError(Attempt attempt, HttpClientResponse upstream) {
        Endpoint endpoint = attempt.target().endpoint();
        int status = upstream.statusCode();
        UpstreamBodies.read(vertx, upstream, MAX_ERROR_BODY, attempt.timeouts().idle())
                .onComplete(result -> {
                    attempt.exchange().upstreamDone();
                    if (!attempt.live()) {
                        return;
                    }
                    java.time.Duration retryAfter = RetryAfter.parse(upstream::getHeader, System.currentTimeMillis());
                    Map<String, String> retryHeaders = retryHeaders(upstream.headers());
                    if (result.failed()) {
                        String why = result.cause() instanceof UpstreamBodies.TooLarge
                                ? "the error body was too large to show"
                                : "the error body broke off";
                        attempt.failed(new AttemptFailure(
                                AttemptFailure.Kind.STATUS,
                                wrapped(endpoint, status, why, retryHeaders),
                                retryAfter,
                                null,
                                null));
                        return;
                    }
                    Buffer body = result.result();
                    JsonNode error = anthropicError(body);
                    if (error == null) {
                        attempt.failed(new AttemptFailure(
                                AttemptFailure.Kind.STATUS,
                                wrapped(endpoint, status, snippet(body), retryHeaders),
                                retryAfter,
                                null,
                                null));
                        return;
                    }
                    ApiException summary = new ApiException(
                            ErrorType.byWireName(error.path("type").asText(), status),
                            status,
                            error.path("message").asText(),
                            retryHeaders,
                            null);
                    attempt.failed(new AttemptFailure(
                            AttemptFailure.Kind.STATUS, summary, retryAfter, body, upstream.headers()));
                });
    }

    /** A whole (non-streamed) answer, read before it is passed on: a broken or malformed one can still be retried. */
    private void relayWhole(Attempt attempt, HttpClientResponse upstream) {
        Endpoint endpoint = attempt.target().endpoint();
        attempt.readWhole(vertx, upstream, MAX_RESPONSE_BODY, body -> {
            Exchange exchange = attempt.exchange();
            JsonNode answer = jsonObject(body);
            if (answer == null) {
                attempt.failed(AttemptFailure.of(
                        AttemptFailure.Kind.BROKEN,
                        new ApiException(
                                ErrorType.API,
                                502,
                                "ccr: endpoint \"" + endpoint.name() + "\" answered with something that is not JSON: "
                                        + snippet(body),
                                Map.of(),
                                null)));
                return;
            }
            if (!attempt.commit(upstream.statusCode())) {
                return;
            }
            JsonNode usage = answer.path("usage");
            if (attempt.operation() == Operation.MESSAGES && usage.isObject()) {
                exchange.usage(
                        usage.path("input_tokens").asLong(),
                        usage.path("output_tokens").asLong(),
                        usage.path("cache_read_input_tokens").asLong(),
                        usage.path("cache_creation_input_tokens").asLong());
            }
            HttpServerResponse client = exchange.response();
            client.setStatusCode(upstream.statusCode());
            Headers.copyToClient(upstream.headers(), client.headers(), false);
            exchange.describeRouting();
            exchange.markFirstByte();
            exchange.sent(body);
            client.end(body);
            exchange.finish(upstream.statusCode(), null);
        });
    }

    private static Map<String, String> retryHeaders(MultiMap headers) {
        Map<String, String> out = new java.util.HashMap<>(2);
        for (String name : new String[] {RetryAfter.HEADER, RetryAfter.HEADER_MS}) {
            String value = headers.get(name);
            if (value != null) {
                out.put(name, value);
            }
        }
        return out;
    }

    private static ApiException wrapped(Endpoint endpoint, int status, String detail, Map<String, String> headers) {
        return new ApiException(
                ErrorType.forStatus(status),
                status,
                "endpoint \"" + endpoint.name() + "\" answered HTTP " + status + ": " + detail,
                headers,
                null);
    }

    /** The {@code error} object of an Anthropic error body, or {@code null} when the body is not one. */
    static JsonNode anthropicError(Buffer body) {
        JsonNode root = jsonObject(body);
        if (root == null || !"error".equals(root.path("type").asText())) {
            return null;
        }
        JsonNode error = root.path("error");
        return error.path("type").isTextual() && error.path("message").isTextual() ? error : null;
    }

    private static JsonNode jsonObject(Buffer body) {
        JsonNode json = UpstreamErrors.json(body);
        return json != null && json.isObject() ? json : null;
    }

    private static String snippet(Buffer body) {
        String text = body.toString().strip().replaceAll("\\s+", " ");
        return text.isEmpty() ? "(empty body)" : text.length() > 300 ? text.substring(0, 300) + "…" : text;
    }

    /**
     * Relays one upstream event stream. Complete frames are held back until content begins (or {@link
     * KeepAlive#INTERVAL_MS} passes without it), then the client's response starts and frames go out as they arrive,
     * with pings while the upstream is silent. A partial frame waits for its end, so an error frame can always follow
     * cleanly.
     */
    private final class StreamRelay {
        private final Attempt attempt;
        private final Exchange exchange;
        private final HttpClientResponse upstream;
        private final Endpoint endpoint;
        private final AnthropicStreamObserver observer = new AnthropicStreamObserver();
        private final SseParser parser;
        private final HttpServerResponse client;
        private final KeepAlive keepAlive = new KeepAlive(vertx);
        private SilenceWatch silence;
        /** Complete frames not yet sent: held before commit, and the unfinished tail of a chunk. */
        private Buffer pending = Buffer.buffer();
        /** Bytes of the stream that were moved out of {@code pending} (sent or held). */
        private long consumed;
        /** Where the last well-formed frame ends, once a malformed one was seen; else -1. */
        private long wellFormedEnd = -1;

        private boolean committed;
        private boolean done;

        StreamRelay(Attempt attempt, HttpClientResponse upstream) {
            this.attempt = attempt;
            this.exchange = attempt.exchange();
            this.upstream = upstream;
            this.endpoint = attempt.target().endpoint();
            this.client = exchange.response();
            this.parser = new SseParser(event -> {
                if (wellFormedEnd >= 0) {
                    return;
                }
                observer.accept(event);
                if (observer.malformed() != null) {
                    wellFormedEnd = parserEnd();
                }
            });
        }

        /** Where the frame being dispatched began: everything before it was complete. */
        private long parserEnd() {
            return parser.completedBytes();
        }

        void run() {
            upstream.handler(this::onChunk);
            upstream.exceptionHandler(this::onFailure);
            upstream.endHandler(v -> onEnd());
            attempt.onAbort(failure -> {
                if (!done) {
                    upstream.request().reset();
                    endWithError(failure);
                }
            });
            keepAlive.start(this::tick);
            silence = SilenceWatch.start(vertx, attempt.timeouts().idle(), timeout -> {
                onFailure(timeout); // first: the reset's own failure then finds the relay done
                upstream.request().reset();
            });
        }

        private void onChunk(Buffer chunk) {
            if (done) {
                return;
            }
            silence.heard();
            if (!attempt.live() && !committed) {
                stop();
                return;
            }
            parser.feed(chunk);
            if (committed
                    && pending.length() == 0
                    && wellFormedEnd < 0
                    && parser.completedBytes() - consumed == chunk.length()) {
                // The common case: whole frames per chunk, passed on without a copy.
                consumed += chunk.length();
                write(chunk);
                applyBackpressure();
                return;
            }
            pending.appendBuffer(chunk);
            long ready = (wellFormedEnd >= 0 ? wellFormedEnd : parser.completedBytes()) - consumed;
            if (!committed) {
                if (observer.errored()) {
                    failBeforeContent(errorEvent());
                    return;
                }
                if (wellFormedEnd >= 0) {
                    failBeforeContent(malformed());
                    return;
                }
                if (!observer.contentStarted() && pending.length() < MAX_HELD) {
                    return;
                }
                if (!commit()) {
                    return;
                }
            }
            if (ready > 0) {
                write(take(ready));
            }
            if (wellFormedEnd >= 0) {
                upstream.request().reset();
                endWithError(malformed().error());
                return;
            }
            applyBackpressure();
        }

        /** Pauses the upstream while the client cannot keep up. */
        private void applyBackpressure() {
            if (client.writeQueueFull()) {
                upstream.pause();
                silence.paused(true);
                client.drainHandler(v -> {
                    silence.paused(false);
                    upstream.resume();
                });
            }
        }

        private void onFailure(Throwable failure) {
            exchange.upstreamDone();
            if (done) {
                return;
            }
            if (!committed) {
                if (attempt.live()) {
                    failBeforeContent(UpstreamFailures.broken(endpoint, failure));
                } else {
                    stop();
                }
                return;
            }
            endWithError(UpstreamFailures.cutShort(endpoint, failure));
        }

        private void onEnd() {
            exchange.upstreamDone();
            if (done) {
                return;
            }
            if (!committed) {
                if (!attempt.live()) {
                    stop();
                } else if (observer.errored()) {
                    failBeforeContent(errorEvent());
                } else if (observer.complete() && pending.length() > 0 && commit()) {
                    finishStream();
                } else {
                    failBeforeContent(UpstreamFailures.broken(endpoint, null));
                }
                return;
            }
            if (!observer.complete() && !observer.errored()) {
                endWithError(UpstreamFailures.cutShort(endpoint, null));
                return;
            }
            finishStream();
        }

        private void finishStream() {
            stop();
            if (pending.length() > 0) {
                write(take(pending.length()));
            }
            client.end();
            reportUsage();
            exchange.finish(
                    client.getStatusCode(),
                    observer.errored() ? errorEvent().error().type().wireName() : null);
            log.debug("[{}] done in {} ms", exchange.requestId(), exchange.elapsedMillis());
        }

        /** Before content: commit once the upstream has been answering 200 for an interval; after: ping if quiet. */
        private void tick() {
            if (done) {
                stop();
                return;
            }
            if (!committed) {
                if (!attempt.live()) {
                    stop();
                    return;
                }
                if (!commit()) {
                    return;
                }
                long ready = parser.completedBytes() - consumed;
                if (ready > 0) {
                    write(take(ready));
                }
            }
            if (keepAlive.quiet()) {
                write(Buffer.buffer(PING));
            }
        }

        /** Starts the client's response; false when the attempt was given up meanwhile (then this relay stops). */
        private boolean commit() {
            if (!attempt.commit(upstream.statusCode())) {
                upstream.request().reset();
                stop();
                return false;
            }
            committed = true;
            client.setStatusCode(upstream.statusCode());
            Headers.copyToClient(upstream.headers(), client.headers(), false);
            exchange.describeRouting();
            client.setChunked(true);
            exchange.markFirstByte();
            // Headers go out now: the client learns the stream started without waiting for the next event.
            client.writeHead();
            return true;
        }

        private Buffer take(long length) {
            int n = (int) length;
            Buffer out;
            if (n == pending.length()) {
                out = pending;
                pending = Buffer.buffer();
            } else {
                out = pending.getBuffer(0, n);
                pending = pending.getBuffer(n, pending.length());
            }
            consumed += n;
            return out;
        }

        private void write(Buffer out) {
            exchange.sent(out);
            client.write(out);
            keepAlive.wrote();
        }

        /** The upstream's error event, as a retryable-or-not failure with the status its type goes with. */
        private AttemptFailure errorEvent() {
            JsonNode error = observer.error() == null ? null : observer.error().path("error");
            String type = error == null ? "api_error" : error.path("type").asText("api_error");
            ErrorType errorType = ErrorType.byWireName(type, 500);
            String message = error == null
                    ? "an unreadable error event"
                    : error.path("message").asText();
            return AttemptFailure.of(
                    AttemptFailure.Kind.STREAM_ERROR,
                    new ApiException(errorType, errorType.status(), message, Map.of(), null));
        }

        private AttemptFailure malformed() {
            return AttemptFailure.of(
                    AttemptFailure.Kind.BROKEN,
                    new ApiException(
                            ErrorType.API,
                            502,
                            "ccr: endpoint \"" + endpoint.name() + "\" sent a malformed event stream ("
                                    + observer.malformed() + ")",
                            Map.of(),
                            null));
        }

        private void failBeforeContent(AttemptFailure failure) {
            upstream.request().reset();
            stop();
            if (attempt.live()) {
                attempt.failed(failure);
            }
        }

        private void endWithError(ApiException failure) {
            stop();
            if (!attempt.live() && exchange.finished()) {
                return;
            }
            log.warn("[{}] {}", exchange.requestId(), failure.getMessage());
            reportUsage();
            exchange.failStream(failure);
        }

        private void stop() {
            done = true;
            keepAlive.stop();
            if (silence != null) {
                silence.stop();
            }
            pending = Buffer.buffer();
        }

        private void reportUsage() {
            exchange.usage(
                    observer.inputTokens(),
                    observer.outputTokens(),
                    observer.cacheReadTokens(),
                    observer.cacheCreationTokens());
        }
    }

    private static final byte[] PING =
            "event: ping\ndata: {\"type\":\"ping\"}\n\n".getBytes(java.nio.charset.StandardCharsets.UTF_8);
}
