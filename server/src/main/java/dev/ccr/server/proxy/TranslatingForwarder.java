package dev.ccr.server.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ccr.server.config.Endpoint;
import dev.ccr.server.config.Secret;
import dev.ccr.server.error.ApiException;
import dev.ccr.server.error.ErrorType;
import dev.ccr.server.json.Json;
import dev.ccr.server.routing.MessagesRequest;
import dev.ccr.server.sse.SseParser;
import dev.ccr.server.tokens.TokenCounter;
import dev.ccr.server.translate.AnthropicRequests;
import dev.ccr.server.translate.Dialect;
import dev.ccr.server.translate.Ids;
import dev.ccr.server.translate.MessageAssembler;
import dev.ccr.server.translate.RequestTree;
import dev.ccr.server.translate.SseEvents;
import dev.ccr.server.translate.StreamTranslator;
import dev.ccr.server.translate.TranslationContext;
import dev.ccr.server.translate.UpstreamCall;
import dev.ccr.server.translate.UpstreamErrors;
import dev.ccr.server.translate.Usage;
import dev.ccr.server.upstream.EndpointCredentials;
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
 * <p>Until the first translated byte goes out, an upstream failure becomes an HTTP error with the matching status
 * (Claude Code retries 429 and 5xx itself); after that it becomes an {@code event: error} frame. A stream that ends
 * without its finish marker is such a failure, never a quiet end. {@code count_tokens} is answered locally.
 */
public final class TranslatingForwarder implements Forwarder {
    private static final Logger log = LoggerFactory.getLogger(TranslatingForwarder.class);
    /** Keep-alive interval: well inside Claude Code's five-minute stream watchdog, cheap for everyone. */
    static final long PING_INTERVAL_MS = 15_000;
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
    public void forward(Exchange exchange, Operation operation, MessagesRequest request) {
        JsonNode tree = parse(request);
        if (operation == Operation.COUNT_TOKENS) {
            countLocally(exchange, tree);
            return;
        }
        Endpoint endpoint = exchange.target().endpoint();
        UpstreamCall call = dialect.request(tree, endpoint, exchange.target().model(), request.stream());
        // Counted off the event loop while the upstream works; message_start needs it for upstreams that report late.
        Future<Long> inputEstimate = vertx.executeBlocking(() -> TokenCounter.count(tree), false);
        String model = exchange.target().model();
        credentials
                .apiKey(endpoint)
                .compose(key -> send(exchange, endpoint, call, key, request.stream()))
                .onSuccess(response -> {
                    response.pause(); // nothing may be read before the handlers are in place
                    inputEstimate.onComplete(counted -> relay(
                            exchange,
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
                    if (!exchange.clientGone()) {
                        exchange.fail(
                                failure instanceof ApiException api
                                        ? api
                                        : UpstreamFailures.noAnswer(endpoint, failure));
                    }
                });
    }

    private static JsonNode parse(MessagesRequest request) {
        return RequestTree.parse(request.body().getBytes());
    }

    private void countLocally(Exchange exchange, JsonNode tree) {
        AnthropicRequests.messages(tree);
        vertx.executeBlocking(() -> TokenCounter.count(tree), false).onComplete(result -> {
            if (exchange.clientGone()) {
                return;
            }
            if (result.failed()) {
                log.error("[{}] counting tokens failed", exchange.requestId(), result.cause());
                exchange.fail(new ApiException(ErrorType.API, "ccr: counting tokens failed; see the router log"));
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
            Exchange exchange, Endpoint endpoint, UpstreamCall call, Secret key, boolean stream) {
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
                .setHeaders(headers);
        exchange.attempted();
        return upstreams
                .client(endpoint)
                .request(options)
                .compose(upstreamRequest -> {
                    exchange.upstreamRequest(upstreamRequest);
                    return upstreamRequest.send(call.body());
                })
                .recover(failure -> Future.failedFuture(
                        failure instanceof ApiException ? failure : UpstreamFailures.noAnswer(endpoint, failure)));
    }

    private void relay(Exchange exchange, HttpClientResponse upstream, TranslationContext context, boolean stream) {
        if (exchange.clientGone()) {
            upstream.resume();
            return;
        }
        if (upstream.statusCode() >= 400) {
            relayError(exchange, upstream, context.endpoint());
            return;
        }
        String contentType = upstream.getHeader("content-type");
        boolean sse = contentType != null && contentType.startsWith("text/event-stream");
        if (stream && sse) {
            new StreamRelay(exchange, upstream, context).run();
        } else {
            relayWhole(exchange, upstream, context, stream);
        }
    }

    private void relayError(Exchange exchange, HttpClientResponse upstream, Endpoint endpoint) {
        int status = upstream.statusCode();
        if (contentLength(upstream) > MAX_ERROR_BODY) {
            upstream.handler(ignored -> {}); // drain and discard, so the connection can be reused
            upstream.resume();
            exchange.fail(dialect.error(endpoint, status, Buffer.buffer("(error body too large)"), upstream.headers()));
            return;
        }
        readBody(exchange, upstream).onComplete(result -> {
            if (exchange.clientGone()) {
                return;
            }
            if (result.failed()) {
                exchange.fail(UpstreamFailures.cutShort(endpoint, result.cause()));
                return;
            }
            Buffer body = result.result();
            ApiException failure = dialect.error(endpoint, status, body, upstream.headers());
            log.warn("[{}] {}", exchange.requestId(), failure.getMessage());
            exchange.fail(failure);
        });
    }

    /**
     * A whole upstream answer: translated into one Anthropic message, or into a complete event stream when the client
     * asked for one but the upstream answered with plain JSON.
     */
    private void relayWhole(
            Exchange exchange, HttpClientResponse upstream, TranslationContext context, boolean stream) {
        if (contentLength(upstream) > MAX_RESPONSE_BODY) {
            upstream.handler(ignored -> {});
            upstream.resume();
            exchange.fail(UpstreamErrors.malformed(context.endpoint(), "sent an answer larger than 64 MiB"));
            return;
        }
        readBody(exchange, upstream).onComplete(result -> {
            if (exchange.clientGone()) {
                return;
            }
            if (result.failed()) {
                exchange.fail(UpstreamFailures.cutShort(context.endpoint(), result.cause()));
                return;
            }
            JsonNode json = UpstreamErrors.json(result.result());
            if (json == null || !json.isObject()) {
                exchange.fail(UpstreamErrors.malformed(
                        context.endpoint(),
                        "answered with something that is not a " + formatName + " response: "
                                + UpstreamErrors.snippet(result.result())));
                return;
            }
            try {
                HttpServerResponse client = exchange.response();
                exchange.describeRouting();
                exchange.markFirstByte();
                if (stream) {
                    SseEvents events = new SseEvents();
                    dialect.response(json, events, context);
                    client.putHeader("content-type", "text/event-stream").putHeader("cache-control", "no-cache");
                    Buffer out = events.drain();
                    exchange.sent(out);
                    client.end(out);
                } else {
                    MessageAssembler message = new MessageAssembler();
                    dialect.response(json, message, context);
                    JsonNode usage = message.message().path("usage");
                    exchange.usage(
                            usage.path("input_tokens").asLong(),
                            usage.path("output_tokens").asLong(),
                            usage.path("cache_read_input_tokens").asLong(),
                            0);
                    Buffer out = Buffer.buffer(Json.writeBytes(message.message()));
                    exchange.sent(out);
                    client.putHeader("content-type", "application/json").end(out);
                }
                exchange.finish(200, null);
            } catch (ApiException failure) {
                exchange.fail(failure);
            }
        });
    }

    /** Reads a whole upstream answer; the upstream's share of the time ends when it has arrived. */
    private static Future<Buffer> readBody(Exchange exchange, HttpClientResponse upstream) {
        Future<Buffer> body = upstream.body().onComplete(done -> exchange.upstreamDone());
        upstream.resume();
        return body;
    }

    private static long contentLength(HttpClientResponse upstream) {
        String length = upstream.getHeader("content-length");
        try {
            return length == null ? -1 : Long.parseLong(length.strip());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Relays one upstream event stream, translating as it goes, with keep-alive pings while the upstream is quiet. */
    private final class StreamRelay {
        private final Exchange exchange;
        private final HttpClientResponse upstream;
        private final TranslationContext context;
        private final SseEvents events = new SseEvents();
        private final StreamTranslator translator;
        private final SseParser parser;
        private final HttpServerResponse client;
        private long pingTimer = -1;
        private long lastWrite = System.nanoTime();
        private boolean done;

        StreamRelay(Exchange exchange, HttpClientResponse upstream, TranslationContext context) {
            this.exchange = exchange;
            this.upstream = upstream;
            this.context = context;
            this.translator = dialect.streamTranslator(events, context);
            this.parser = new SseParser(translator::accept);
            this.client = exchange.response();
        }

        void run() {
            upstream.handler(this::onChunk);
            upstream.exceptionHandler(failure -> fail(UpstreamFailures.cutShort(context.endpoint(), failure)));
            upstream.endHandler(v -> onEnd());
            upstream.resume();
            pingTimer = vertx.setPeriodic(PING_INTERVAL_MS, id -> keepAlive());
        }

        private void onChunk(Buffer chunk) {
            if (done) {
                return;
            }
            try {
                parser.feed(chunk);
            } catch (ApiException failure) {
                fail(failure);
                return;
            } catch (RuntimeException bug) {
                log.error("[{}] translating the stream failed", exchange.requestId(), bug);
                fail(new ApiException(ErrorType.API, "ccr: translating the stream failed; see the router log"));
                return;
            }
            flush();
            if (client.writeQueueFull()) {
                upstream.pause();
                client.drainHandler(v -> upstream.resume());
            }
        }

        private void onEnd() {
            exchange.upstreamDone();
            if (done || exchange.clientGone()) {
                stopPinging();
                return;
            }
            try {
                translator.end();
            } catch (ApiException failure) {
                fail(failure);
                return;
            }
            done = true;
            stopPinging();
            flush();
            client.end();
            reportUsage();
            exchange.finish(200, null);
        }

        private void keepAlive() {
            if (done || exchange.clientGone()) {
                stopPinging();
                return;
            }
            if (System.nanoTime() - lastWrite < PING_INTERVAL_MS * 1_000_000 / 2) {
                return;
            }
            translator.start();
            events.ping();
            flush();
        }

        private void flush() {
            if (!events.hasOutput() || exchange.clientGone()) {
                return;
            }
            if (!client.headWritten()) {
                client.setStatusCode(200);
                client.putHeader("content-type", "text/event-stream");
                client.putHeader("cache-control", "no-cache");
                client.setChunked(true);
                exchange.describeRouting();
                exchange.markFirstByte();
            }
            Buffer out = events.drain();
            exchange.sent(out);
            client.write(out);
            lastWrite = System.nanoTime();
        }

        /** Before any byte went out: an HTTP error with its status. After: the events so far, then an error frame. */
        private void fail(ApiException failure) {
            if (done) {
                return;
            }
            done = true;
            stopPinging();
            exchange.upstreamDone();
            exchange.cancelUpstream();
            if (exchange.clientGone()) {
                return;
            }
            log.warn("[{}] {}", exchange.requestId(), failure.getMessage());
            reportUsage();
            if (!client.headWritten()) {
                exchange.fail(failure);
                return;
            }
            if (events.hasOutput()) {
                Buffer out = events.drain();
                exchange.sent(out);
                client.write(out);
            }
            exchange.failStream(failure);
        }

        private void reportUsage() {
            Usage usage = translator.usage();
            exchange.usage(usage.input(), usage.output(), usage.cacheRead(), usage.cacheCreation());
        }

        private void stopPinging() {
            if (pingTimer >= 0) {
                vertx.cancelTimer(pingTimer);
                pingTimer = -1;
            }
        }
    }
}
