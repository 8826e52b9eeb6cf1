package dev.ccr.server.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ccr.server.config.Endpoint;
import dev.ccr.server.config.Secret;
import dev.ccr.server.error.ApiException;
import dev.ccr.server.error.ErrorType;
import dev.ccr.server.json.Json;
import dev.ccr.server.resilience.AttemptFailedException;
import dev.ccr.server.resilience.AttemptFailure;
import dev.ccr.server.resilience.RetryAfter;
import dev.ccr.server.routing.MessagesRequest;
import dev.ccr.server.sse.SseParser;
import dev.ccr.server.tokens.TokenCounter;
import dev.ccr.server.translate.AnthropicRequests;
import dev.ccr.server.translate.Dialect;
import dev.ccr.server.translate.Ids;
import dev.ccr.server.translate.MessageAssembler;
import dev.ccr.server.translate.RequestTree;
import dev.ccr.server.translate.ServerTools;
import dev.ccr.server.translate.SseEvents;
import dev.ccr.server.translate.StreamTranslator;
import dev.ccr.server.translate.TranslationContext;
import dev.ccr.server.translate.UpstreamCall;
import dev.ccr.server.translate.UpstreamErrors;
import dev.ccr.server.translate.Usage;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Forwards a request to an endpoint that speaks another format (OpenAI chat completions, Gemini): translates the
 * request, sends it, and translates the answer back, a streamed one event by event as it arrives.
 *
 * <p>Until the translated answer's content begins, every failure goes back to the {@link Dispatcher} (which may retry
 * or fail over, or answer with the matching status, which Claude Code retries itself for 429 and 5xx); after that it
 * becomes an {@code event: error} frame. A stream that ends without its finish marker is such a failure, never a quiet
 * end. {@code count_tokens} is answered locally.
 */
public final class TranslatingForwarder implements Forwarder {
    private static final Logger log = LoggerFactory.getLogger(TranslatingForwarder.class);
    /** Error bodies are read whole to translate them; anything larger is not an API error body. */
    private static final int MAX_ERROR_BODY = 1 << 20;
    /** A whole (non-streamed) answer is read before it is translated; a cap keeps a broken upstream from exhausting memory. */
    private static final int MAX_RESPONSE_BODY = 64 << 20;

    private final Vertx vertx;
    private final Upstreams upstreams;
    private final EndpointCredentials credentials;
    private final Dialect dialect;
    private final String formatName;

    public TranslatingForwarder(
            Vertx vertx, Upstreams upstreams, EndpointCredentials credentials, Dialect dialect, String formatName) {
        this.vertx = vertx;
        this.upstreams = upstreams;
        this.credentials = credentials;
        this.dialect = dialect;
        this.formatName = formatName;
    }

    @Override
    public boolean callsUpstream(Operation operation) {
        return operation != Operation.COUNT_TOKENS;
    }

    @Override
    public void forward(Attempt attempt) {
        MessagesRequest request = attempt.request();
        JsonNode tree = RequestTree.parse(request.body().getBytes());
        if (attempt.operation() == Operation.COUNT_TOKENS) {
            countLocally(attempt, tree);
            return;
        }
        Endpoint endpoint = attempt.target().endpoint();
        String model = attempt.target().model();
        ServerTools.check(tree, attempt.target().route(), endpoint.name(), formatName);
        UpstreamCall call = dialect.request(tree, endpoint, model, request.stream());
        // Counted off the event loop while the upstream works; message_start needs it for upstreams that report late.
        Future<Long> inputEstimate = vertx.executeBlocking(() -> TokenCounter.count(tree), false);
        credentials
                .apiKey(endpoint)
                .compose(key -> send(attempt, endpoint, call, key, request.stream()))
                .onSuccess(response -> {
                    response.pause(); // nothing may be read before the handlers are in place
                    inputEstimate.onComplete(counted -> relay(
                            attempt,
                            response,
                            new TranslationContext(
                                    endpoint,
                                    model,
                                    Ids.message(),
                                    counted.succeeded() ? counted.result() : 0,
                                    AnthropicRequests.stopSequences(tree)),
                            request.stream()));
                })
                .onFailure(failure -> {
                    attempt.exchange().upstreamDone();
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

    private void countLocally(Attempt attempt, JsonNode tree) {
        Exchange exchange = attempt.exchange();
        AnthropicRequests.messages(tree);
        vertx.executeBlocking(() -> TokenCounter.count(tree), false).onComplete(result -> {
            if (!attempt.live()) {
                return;
            }
            if (result.failed()) {
                log.error("[{}] counting tokens failed", exchange.requestId(), result.cause());
                attempt.failed(AttemptFailure.of(
                        AttemptFailure.Kind.LOCAL,
                        new ApiException(ErrorType.API, "ccr: counting tokens failed; see the router log")));
                return;
            }
            if (!attempt.commit(200)) {
                return;
            }
            long tokens = result.result();
            exchange.describeRouting();
            exchange.markFirstByte();
            exchange.usage(tokens, 0, 0, 0);
            exchange.response()
                    .putHeader("content-type", "application/json")
                    .end(Json.write(Json.object().put("input_tokens", tokens)));
            exchange.finish(200, null);
        });
    }

    private Future<HttpClientResponse> send(
            Attempt attempt, Endpoint endpoint, UpstreamCall call, Secret key, boolean stream) {
        MultiMap headers = MultiMap.caseInsensitiveMultiMap();
        endpoint.headers().forEach((name, value) -> {
            if (value.isAvailable()) {
                headers.set(name, value.reveal());
            }
        });
        headers.set("content-type", "application/json");
        headers.set("accept", stream ? "text/event-stream" : "application/json");
        if (key != null) {
            if (!key.isAvailable()) {
                return Future.failedFuture(ApiException.authentication("ccr: endpoint \"" + endpoint.name()
                        + "\" has no usable apiKey: " + key.problem().orElse("unknown reason")));
            }
            dialect.authorize(headers, key);
        }
        RequestOptions options = new RequestOptions()
                .setMethod(HttpMethod.POST)
                .setAbsoluteURI(call.url())
                .setHeaders(headers)
                .setConnectTimeout(attempt.timeouts().connect().toMillis())
                .setIdleTimeout(attempt.timeouts().idle().toMillis());
        return upstreams
                .client(endpoint)
                .request(options)
                .compose(upstreamRequest -> {
                    attempt.upstreamRequest(upstreamRequest);
                    return upstreamRequest.send(call.body());
                })
                .recover(failure -> Future.failedFuture(
                        new AttemptFailedException(UpstreamFailures.unanswered(endpoint, failure))));
    }

    private void relay(Attempt attempt, HttpClientResponse upstream, TranslationContext context, boolean stream) {
        if (!attempt.live()) {
            upstream.request().reset();
            return;
        }
        attempt.headReceived();
        if (upstream.statusCode() >= 400) {
            relayError(attempt, upstream, context.endpoint());
            return;
        }
        String contentType = upstream.getHeader("content-type");
        boolean sse = contentType != null && contentType.startsWith("text/event-stream");
        if (stream && sse) {
            new StreamRelay(attempt, upstream, context).run();
        } else {
            relayWhole(attempt, upstream, context, stream);
        }
    }

    private void relayError(Attempt attempt, HttpClientResponse upstream, Endpoint endpoint) {
        int status = upstream.statusCode();
        UpstreamBodies.read(vertx, upstream, MAX_ERROR_BODY, attempt.timeouts().idle())
                .onComplete(result -> {
                    attempt.exchange().upstreamDone();
                    if (!attempt.live()) {
                        return;
                    }
                    Buffer body =
                            result.succeeded() ? result.result() : Buffer.buffer("(error body too large or cut off)");
                    ApiException failure = dialect.error(endpoint, status, body, upstream.headers());
                    log.debug("[{}] {}", attempt.exchange().requestId(), failure.getMessage());
                    attempt.failed(new AttemptFailure(
                            AttemptFailure.Kind.STATUS,
                            failure,
                            RetryAfter.parse(upstream::getHeader, System.currentTimeMillis()),
                            null,
                            null));
                });
    }

    /**
     * A whole upstream answer: translated into one Anthropic message, or into a complete event stream when the client
     * asked for one but the upstream answered with plain JSON.
     */
    private void relayWhole(Attempt attempt, HttpClientResponse upstream, TranslationContext context, boolean stream) {
        attempt.readWhole(vertx, upstream, MAX_RESPONSE_BODY, body -> {
            Exchange exchange = attempt.exchange();
            JsonNode json = UpstreamErrors.json(body);
            if (json == null || !json.isObject()) {
                attempt.failed(AttemptFailure.of(
                        AttemptFailure.Kind.BROKEN,
                        UpstreamErrors.malformed(
                                context.endpoint(),
                                "answered with something that is not a " + formatName + " response: "
                                        + UpstreamErrors.snippet(body))));
                return;
            }
            Buffer out;
            try {
                if (stream) {
                    SseEvents events = new SseEvents();
                    dialect.response(json, events, context);
                    out = events.drain();
                } else {
                    MessageAssembler message = new MessageAssembler();
                    dialect.response(json, message, context);
                    JsonNode usage = message.message().path("usage");
                    exchange.usage(
                            usage.path("input_tokens").asLong(),
                            usage.path("output_tokens").asLong(),
                            usage.path("cache_read_input_tokens").asLong(),
                            0);
                    out = Buffer.buffer(Json.writeBytes(message.message()));
                }
            } catch (ApiException failure) {
                attempt.failed(AttemptFailure.of(kindOf(failure), failure));
                return;
            }
            if (!attempt.commit(200)) {
                return;
            }
            HttpServerResponse client = exchange.response();
            exchange.describeRouting();
            exchange.markFirstByte();
            if (stream) {
                client.putHeader("content-type", "text/event-stream").putHeader("cache-control", "no-cache");
            } else {
                client.putHeader("content-type", "application/json");
            }
            exchange.sent(out);
            client.end(out);
            exchange.finish(200, null);
        });
    }

    /** An upstream's error reported in its answer, or an answer that breaks the format's promises. */
    private static AttemptFailure.Kind kindOf(ApiException failure) {
        return failure.status() == 502 ? AttemptFailure.Kind.BROKEN : AttemptFailure.Kind.STREAM_ERROR;
    }

    /**
     * Relays one upstream event stream, translating as it goes. The translated events are held until content begins
     * (or {@link KeepAlive#INTERVAL_MS} passes without it); then the client's response starts, and pings keep it alive
     * while the upstream is quiet.
     */
    private final class StreamRelay {
        private final Attempt attempt;
        private final Exchange exchange;
        private final HttpClientResponse upstream;
        private final TranslationContext context;
        private final SseEvents events = new SseEvents();
        private final ContentWatch watch = new ContentWatch(events);
        private final StreamTranslator translator;
        private final SseParser parser;
        private final HttpServerResponse client;
        private final KeepAlive keepAlive = new KeepAlive(vertx);
        private SilenceWatch silence;
        private boolean committed;
        private boolean done;

        StreamRelay(Attempt attempt, HttpClientResponse upstream, TranslationContext context) {
            this.attempt = attempt;
            this.exchange = attempt.exchange();
            this.upstream = upstream;
            this.context = context;
            this.translator = dialect.streamTranslator(watch, context);
            this.parser = new SseParser(translator::accept);
            this.client = exchange.response();
        }

        void run() {
            upstream.handler(this::onChunk);
            upstream.exceptionHandler(failure -> fail(UpstreamFailures.broken(context.endpoint(), failure)));
            upstream.endHandler(v -> onEnd());
            attempt.onAbort(failure -> fail(AttemptFailure.of(AttemptFailure.Kind.TIMEOUT, failure)));
            upstream.resume();
            keepAlive.start(this::tick);
            silence = SilenceWatch.start(
                    vertx,
                    attempt.timeouts().idle(),
                    timeout -> fail(UpstreamFailures.broken(context.endpoint(), timeout))); // fail resets upstream
        }

        private void onChunk(Buffer chunk) {
            if (done) {
                return;
            }
            silence.heard();
            try {
                parser.feed(chunk);
            } catch (ApiException failure) {
                fail(AttemptFailure.of(kindOf(failure), failure));
                return;
            } catch (RuntimeException bug) {
                log.error("[{}] translating the stream failed", exchange.requestId(), bug);
                fail(AttemptFailure.of(
                        AttemptFailure.Kind.LOCAL,
                        new ApiException(ErrorType.API, "ccr: translating the stream failed; see the router log")));
                return;
            }
            flush(false);
            if (committed && client.writeQueueFull()) {
                upstream.pause();
                silence.paused(true);
                client.drainHandler(v -> {
                    silence.paused(false);
                    upstream.resume();
                });
            }
        }

        private void onEnd() {
            exchange.upstreamDone();
            if (done) {
                return;
            }
            try {
                translator.end();
            } catch (ApiException failure) {
                fail(AttemptFailure.of(AttemptFailure.Kind.BROKEN, failure));
                return;
            }
            if (!flush(true)) {
                return;
            }
            done = true;
            keepAlive.stop();
            silence.stop();
            client.end();
            reportUsage();
            exchange.finish(200, null);
        }

        /** Before content: commit once the upstream has been answering for an interval; after: ping when quiet. */
        private void tick() {
            if (done) {
                keepAlive.stop();
                return;
            }
            if (!committed) {
                translator.start();
                if (!flush(true)) {
                    return;
                }
            }
            if (keepAlive.quiet()) {
                events.ping();
                flush(false);
            }
        }

        /**
         * Sends what was translated, committing first when content has begun (or {@code force}); false when the
         * attempt was given up meanwhile (then the relay stops).
         */
        private boolean flush(boolean force) {
            if (!committed) {
                if (!watch.content() && !force) {
                    return true;
                }
                if (!attempt.commit(200)) {
                    stop();
                    return false;
                }
                committed = true;
                client.setStatusCode(200);
                client.putHeader("content-type", "text/event-stream");
                client.putHeader("cache-control", "no-cache");
                client.setChunked(true);
                exchange.describeRouting();
                exchange.markFirstByte();
            }
            if (events.hasOutput()) {
                Buffer out = events.drain();
                exchange.sent(out);
                client.write(out);
                keepAlive.wrote();
            }
            return true;
        }

        /**
         * Before commit: the dispatcher decides what next. After: the events so far, then an error frame, unless the
         * message was already complete.
         */
        private void fail(AttemptFailure failure) {
            if (done) {
                return;
            }
            exchange.upstreamDone();
            stop();
            if (!committed) {
                if (attempt.live()) {
                    attempt.failed(failure);
                }
                return;
            }
            if (exchange.finished()) {
                return;
            }
            reportUsage();
            if (events.hasOutput()) {
                Buffer out = events.drain();
                exchange.sent(out);
                client.write(out);
            }
            if (watch.stopped()) {
                // The message was whole (message_stop is out): what broke was only the upstream's trailer, such as
                // its [DONE] marker. An error event now would follow the end of the message.
                log.debug(
                        "[{}] after the complete message: {}",
                        exchange.requestId(),
                        failure.error().getMessage());
                client.end();
                exchange.finish(200, null);
                return;
            }
            log.warn("[{}] {}", exchange.requestId(), failure.error().getMessage());
            exchange.failStream(failure.error());
        }

        private void stop() {
            done = true;
            keepAlive.stop();
            if (silence != null) {
                silence.stop();
            }
            upstream.request().reset();
        }

        private void reportUsage() {
            Usage usage = translator.usage();
            exchange.usage(usage.input(), usage.output(), usage.cacheRead(), usage.cacheCreation());
        }
    }
}
