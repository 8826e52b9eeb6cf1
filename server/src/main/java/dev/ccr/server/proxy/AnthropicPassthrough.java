package dev.ccr.server.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ccr.server.config.Endpoint;
import dev.ccr.server.config.Secret;
import dev.ccr.server.error.ApiException;
import dev.ccr.server.error.ErrorType;
import dev.ccr.server.json.Json;
import dev.ccr.server.routing.MessagesRequest;
import dev.ccr.server.sse.AnthropicStreamObserver;
import dev.ccr.server.sse.SseParser;
import dev.ccr.server.upstream.EndpointCredentials;
import dev.ccr.server.upstream.UpstreamFailures;
import dev.ccr.server.upstream.Upstreams;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.RequestOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Forwards a request to an Anthropic-format endpoint and relays the answer: the body goes up as the client sent it
 * (only the model may be swapped), the client's credential is replaced by the endpoint's, and the response streams
 * back event by event as it arrives. Frames are forwarded whole, so if the upstream fails midway the client receives
 * a clean {@code event: error} rather than a stream that merely stops.
 */
public final class AnthropicPassthrough implements Forwarder {
    private static final Logger log = LoggerFactory.getLogger(AnthropicPassthrough.class);
    /** Error bodies are read whole to check their shape; anything bigger than this is not an API error body. */
    private static final int MAX_ERROR_BODY = 1 << 20;

    private final Upstreams upstreams;
    private final EndpointCredentials credentials;

    public AnthropicPassthrough(Upstreams upstreams, EndpointCredentials credentials) {
        this.upstreams = upstreams;
        this.credentials = credentials;
    }

    @Override
    public void forward(Exchange exchange, Operation operation, MessagesRequest request) {
        Endpoint endpoint = exchange.target().endpoint();
        Buffer body = request.withModel(exchange.target().model());
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
                            .setAbsoluteURI(
                                    endpoint.url(operation.anthropicPath()) + (query == null ? "" : "?" + query))
                            .setHeaders(headers);
                    // From here on the time is the upstream's: a pooled connection, or a new one, then its answer.
                    exchange.attempted();
                    return upstreams
                            .client(endpoint)
                            .request(options)
                            .compose(upstreamRequest -> {
                                exchange.upstreamRequest(upstreamRequest);
                                return upstreamRequest.send(body);
                            })
                            .recover(failure -> Future.failedFuture(UpstreamFailures.noAnswer(endpoint, failure)));
                })
                .onSuccess(response -> relay(exchange, operation, response))
                .onFailure(failure -> {
                    exchange.upstreamDone();
                    if (!exchange.clientGone()) {
                        exchange.fail(
                                failure instanceof ApiException api
                                        ? api
                                        : UpstreamFailures.noAnswer(endpoint, failure));
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

    private void relay(Exchange exchange, Operation operation, HttpClientResponse upstream) {
        if (exchange.clientGone()) {
            return;
        }
        Endpoint endpoint = exchange.target().endpoint();
        HttpServerResponse client = exchange.response();
        if (upstream.statusCode() >= 400) {
            relayError(exchange, upstream);
            return;
        }
        client.setStatusCode(upstream.statusCode());
        String contentType = upstream.getHeader("content-type");
        boolean sse = contentType != null && contentType.startsWith("text/event-stream");
        Headers.copyToClient(upstream.headers(), client.headers(), !sse);
        exchange.describeRouting();
        if (client.headers().get("content-length") == null) {
            client.setChunked(true);
        }
        exchange.markFirstByte();
        if (!sse) {
            pipe(exchange, upstream, null, operation == Operation.MESSAGES ? new MessageUsage() : null);
            return;
        }
        // Headers go out now: the client learns the stream started without waiting for the first event.
        client.writeHead();
        pipe(exchange, upstream, new StreamState(endpoint), null);
    }

    /**
     * Copies the body, pausing the upstream whenever the client cannot keep up.
     *
     * @param stream for an event stream, what watches it; {@code null} for a whole body
     * @param usage for a whole Messages answer, what reads its usage; else {@code null}
     */
    private void pipe(Exchange exchange, HttpClientResponse upstream, StreamState stream, MessageUsage usage) {
        HttpServerResponse client = exchange.response();
        upstream.handler(chunk -> {
            Buffer out = stream == null ? chunk : stream.completeFrames(chunk);
            if (usage != null) {
                usage.feed(chunk);
            }
            if (out.length() > 0) {
                exchange.sent(out);
                client.write(out);
            }
            if (client.writeQueueFull()) {
                upstream.pause();
                client.drainHandler(v -> upstream.resume());
            }
        });
        upstream.exceptionHandler(failure -> {
            exchange.upstreamDone();
            if (exchange.clientGone() || client.ended()) {
                return;
            }
            if (stream == null) {
                log.warn("[{}] upstream failed mid-body: {}", exchange.requestId(), failure.toString());
                client.reset();
                exchange.finish(client.getStatusCode(), "api_error");
                return;
            }
            endWithError(exchange, stream, UpstreamFailures.cutShort(stream.endpoint, failure));
        });
        upstream.endHandler(v -> {
            exchange.upstreamDone();
            if (exchange.clientGone() || client.ended()) {
                return;
            }
            if (stream != null && !stream.finished()) {
                endWithError(exchange, stream, UpstreamFailures.cutShort(stream.endpoint, null));
                return;
            }
            if (stream != null && stream.pending.length() > 0) {
                exchange.sent(stream.pending);
                client.write(stream.pending);
            }
            client.end();
            if (stream != null) {
                stream.reportUsage(exchange);
            }
            if (usage != null) {
                usage.report(exchange);
            }
            exchange.finish(
                    client.getStatusCode(), stream != null && stream.observer.errored() ? "stream_error" : null);
            log.debug("[{}] done in {} ms", exchange.requestId(), exchange.elapsedMillis());
        });
    }

    private static void endWithError(Exchange exchange, StreamState stream, ApiException failure) {
        log.warn("[{}] {}", exchange.requestId(), failure.getMessage());
        stream.reportUsage(exchange);
        exchange.failStream(failure);
    }

    /**
     * Passes an upstream error through when it is in Anthropic shape (Claude Code shows its message); wraps anything
     * else (a proxy's HTML page, say) so the client still gets the shape it understands, with the upstream's status.
     */
    private void relayError(Exchange exchange, HttpClientResponse upstream) {
        String length = upstream.getHeader("content-length");
        if (length != null && parseLong(length) > MAX_ERROR_BODY) {
            exchange.fail(wrapped(exchange, upstream.statusCode(), "the error body was too large to show"));
            upstream.handler(ignored -> {}); // drain and discard, so the connection can be reused
            return;
        }
        upstream.body().onComplete(result -> {
            exchange.upstreamDone();
            if (exchange.clientGone()) {
                return;
            }
            int status = upstream.statusCode();
            if (result.failed()) {
                exchange.fail(UpstreamFailures.cutShort(exchange.target().endpoint(), result.cause()));
                return;
            }
            Buffer body = result.result();
            if (!isAnthropicError(body)) {
                exchange.fail(wrapped(exchange, status, snippet(body)));
                return;
            }
            HttpServerResponse client = exchange.response();
            client.setStatusCode(status);
            Headers.copyToClient(upstream.headers(), client.headers(), false);
            exchange.describeRouting();
            exchange.markFirstByte();
            exchange.sent(body);
            client.end(body);
            exchange.finish(status, errorType(body));
        });
    }

    private static ApiException wrapped(Exchange exchange, int status, String detail) {
        ErrorType type = ErrorType.forStatus(status);
        return new ApiException(
                type,
                status,
                "endpoint \"" + exchange.target().endpoint().name() + "\" answered HTTP " + status + ": " + detail,
                java.util.Map.of(),
                null);
    }

    private static String errorType(Buffer body) {
        try {
            return Json.MAPPER
                    .readTree(body.getBytes())
                    .path("error")
                    .path("type")
                    .asText();
        } catch (Exception e) {
            return "api_error";
        }
    }

    static boolean isAnthropicError(Buffer body) {
        try {
            JsonNode root = Json.MAPPER.readTree(body.getBytes());
            return root != null
                    && "error".equals(root.path("type").asText())
                    && root.path("error").path("type").isTextual()
                    && root.path("error").path("message").isTextual();
        } catch (Exception e) {
            return false;
        }
    }

    private static String snippet(Buffer body) {
        String text = body.toString().strip().replaceAll("\\s+", " ");
        return text.isEmpty() ? "(empty body)" : text.length() > 300 ? text.substring(0, 300) + "…" : text;
    }

    private static long parseLong(String text) {
        try {
            return Long.parseLong(text.strip());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Holds back an unfinished frame until its end arrives, and watches the stream for its proper end. */
    private static final class StreamState {
        final Endpoint endpoint;
        final AnthropicStreamObserver observer = new AnthropicStreamObserver();
        final SseParser parser = new SseParser(observer);
        Buffer pending = Buffer.buffer();
        long written;

        StreamState(Endpoint endpoint) {
            this.endpoint = endpoint;
        }

        Buffer completeFrames(Buffer chunk) {
            parser.feed(chunk);
            long ready = parser.completedBytes() - written;
            if (ready == 0) {
                pending.appendBuffer(chunk);
                return Buffer.buffer();
            }
            Buffer out;
            if (pending.length() == 0 && ready == chunk.length()) {
                out = chunk; // the common case: whole frames per chunk, nothing copied
            } else {
                pending.appendBuffer(chunk);
                out = pending.getBuffer(0, (int) ready);
                pending = pending.getBuffer((int) ready, pending.length());
            }
            written += ready;
            return out;
        }

        boolean finished() {
            return observer.complete() || observer.errored();
        }

        void reportUsage(Exchange exchange) {
            exchange.usage(
                    observer.inputTokens(),
                    observer.outputTokens(),
                    observer.cacheReadTokens(),
                    observer.cacheCreationTokens());
        }
    }
}
