package dev.ccr.server.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ccr.server.config.Endpoint;
import dev.ccr.server.config.Secret;
import dev.ccr.server.error.ApiException;
import dev.ccr.server.error.ErrorType;
import dev.ccr.server.json.Json;
import dev.ccr.server.resilience.AttemptFailure;
import dev.ccr.server.resilience.RetryAfter;
import dev.ccr.server.tokens.TokenCounter;
import dev.ccr.server.translate.AnthropicRequests;
import dev.ccr.server.translate.Dialect;
import dev.ccr.server.translate.Ids;
import dev.ccr.server.translate.MessageAssembler;
import dev.ccr.server.translate.RequestTree;
import dev.ccr.server.translate.ServerTools;
import dev.ccr.server.translate.SseEvents;
import dev.ccr.server.translate.TranslationContext;
import dev.ccr.server.translate.UpstreamCall;
import dev.ccr.server.translate.UpstreamErrors;
import dev.ccr.server.translate.Usage;
import dev.ccr.server.upstream.EndpointCredentials;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Another wire format (OpenAI chat completions, Gemini: a {@link Dialect}) on the way up and back: the request is
 * translated, the answer translated back into Anthropic's, a streamed one event by event. {@code count_tokens} is
 * answered locally with a real tokenizer.
 */
public final class TranslatingCodec implements WireCodec {
    private static final Logger log = LoggerFactory.getLogger(TranslatingCodec.class);

    private final Vertx vertx;
    private final EndpointCredentials credentials;
    private final Dialect dialect;
    private final String formatName;

    public TranslatingCodec(Vertx vertx, EndpointCredentials credentials, Dialect dialect, String formatName) {
        this.vertx = vertx;
        this.credentials = credentials;
        this.dialect = dialect;
        this.formatName = formatName;
    }

    @Override
    public boolean callsUpstream(Operation operation) {
        return operation != Operation.COUNT_TOKENS;
    }

    @Override
    public Future<WholeAnswer> answerLocally(Attempt attempt) {
        JsonNode tree = RequestTree.parse(attempt.request().body().getBytes());
        AnthropicRequests.messages(tree);
        return vertx.executeBlocking(() -> TokenCounter.count(tree), false)
                .recover(failure -> {
                    log.error("[{}] counting tokens failed", attempt.exchange().requestId(), failure);
                    return Future.failedFuture(
                            new ApiException(ErrorType.API, "ccr: counting tokens failed; see the router log"));
                })
                .map(tokens -> new WholeAnswer(
                        200,
                        null,
                        false,
                        Buffer.buffer(Json.write(Json.object().put("input_tokens", tokens))),
                        new Usage(tokens, 0, 0, 0)));
    }

    @Override
    public Future<Call> prepare(Attempt attempt) {
        JsonNode tree = RequestTree.parse(attempt.request().body().getBytes());
        Endpoint endpoint = attempt.target().endpoint();
        String model = attempt.target().model();
        boolean stream = attempt.request().stream();
        ServerTools.check(tree, attempt.target().route(), endpoint.name(), formatName);
        UpstreamCall call = dialect.request(tree, endpoint, model, stream);
        // For message_start of upstreams that report usage only at the end; their final figure replaces it. The
        // routing scan's estimate costs nothing here, where the tokenizer cost milliseconds of CPU per large request
        // and made the answer wait for it (docs/TOKENS.md).
        long inputEstimate = attempt.request().estimatedInputTokens();
        return credentials.apiKey(endpoint).map(key -> {
            MultiMap headers = MultiMap.caseInsensitiveMultiMap();
            Headers.addEndpointHeaders(headers, endpoint);
            headers.set("content-type", "application/json");
            headers.set("accept", stream ? "text/event-stream" : "application/json");
            authorize(headers, endpoint, key);
            return new TranslatedCall(
                    new UpstreamRequest(call.url(), headers, call.body()),
                    endpoint,
                    model,
                    stream,
                    inputEstimate,
                    AnthropicRequests.stopSequences(tree));
        });
    }

    private void authorize(MultiMap headers, Endpoint endpoint, Secret key) {
        if (key == null) {
            return;
        }
        Headers.usableKey(endpoint, key); // fails when the configured key could not be read
        dialect.authorize(headers, key);
    }

    private final class TranslatedCall implements Call {
        private final UpstreamRequest request;
        private final Endpoint endpoint;
        private final String model;
        private final boolean stream;
        private final long inputEstimate;
        private final java.util.List<String> stopSequences;

        TranslatedCall(
                UpstreamRequest request,
                Endpoint endpoint,
                String model,
                boolean stream,
                long inputEstimate,
                java.util.List<String> stopSequences) {
            this.request = request;
            this.endpoint = endpoint;
            this.model = model;
            this.stream = stream;
            this.inputEstimate = inputEstimate;
            this.stopSequences = stopSequences;
        }

        @Override
        public UpstreamRequest request() {
            return request;
        }

        @Override
        public boolean streams(HttpClientResponse response) {
            String type = response.getHeader("content-type");
            return stream && type != null && type.startsWith("text/event-stream");
        }

        private TranslationContext context() {
            return new TranslationContext(endpoint, model, Ids.message(), inputEstimate, stopSequences);
        }

        @Override
        public AttemptFailure error(HttpClientResponse response, Buffer body, String why) {
            ApiException failure = dialect.error(
                    endpoint,
                    response.statusCode(),
                    body == null ? Buffer.buffer("(" + why + ")") : body,
                    response.headers());
            return AttemptFailure.status(
                    failure, RetryAfter.parse(response::getHeader, System.currentTimeMillis()), null, null);
        }

        /**
         * Translated into one Anthropic message, or into a complete event stream when the client asked for one but
         * the upstream answered with plain JSON.
         */
        @Override
        public WholeAnswer whole(HttpClientResponse response, Buffer body) {
            JsonNode json = UpstreamErrors.json(body);
            if (json == null || !json.isObject()) {
                throw UpstreamErrors.malformed(
                        endpoint,
                        "answered with something that is not a " + formatName + " response: "
                                + UpstreamErrors.snippet(body));
            }
            if (stream) {
                SseEvents events = new SseEvents();
                dialect.response(json, events, context());
                return new WholeAnswer(200, null, true, events.drain(), events.usage());
            }
            MessageAssembler message = new MessageAssembler();
            dialect.response(json, message, context());
            JsonNode usage = message.message().path("usage");
            return new WholeAnswer(
                    200, null, false, Buffer.buffer(Json.writeBytes(message.message())), Usage.of(usage));
        }

        @Override
        public StreamDecoder stream(HttpClientResponse response) {
            return new TranslatedStream(dialect, context());
        }
    }
}
