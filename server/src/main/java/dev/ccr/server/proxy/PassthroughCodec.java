package dev.ccr.server.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ccr.server.config.Endpoint;
import dev.ccr.server.config.Secret;
import dev.ccr.server.error.ApiException;
import dev.ccr.server.error.ErrorType;
import dev.ccr.server.error.Fault;
import dev.ccr.server.resilience.AttemptFailure;
import dev.ccr.server.resilience.RetryAfter;
import dev.ccr.server.translate.UpstreamErrors;
import dev.ccr.server.translate.Usage;
import dev.ccr.server.upstream.EndpointCredentials;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import java.util.HashMap;
import java.util.Map;

/**
 * The Anthropic format, passed through: the body goes up as the client sent it (only the model may be swapped), the
 * client's credential is replaced by the endpoint's (or, for an endpoint without its own key, the client's own key is
 * forwarded), and the answer comes back byte for byte with the upstream's headers.
 */
public final class PassthroughCodec implements WireCodec {
    private final EndpointCredentials credentials;

    public PassthroughCodec(EndpointCredentials credentials) {
        this.credentials = credentials;
    }

    @Override
    public boolean callsUpstream(Operation operation) {
        return true;
    }

    @Override
    public Future<WholeAnswer> answerLocally(Attempt attempt) {
        throw new UnsupportedOperationException("every operation reaches an Anthropic-format upstream");
    }

    @Override
    public Future<Call> prepare(Attempt attempt) {
        Exchange exchange = attempt.exchange();
        Endpoint endpoint = attempt.target().endpoint();
        return credentials.apiKey(endpoint).map(key -> {
            MultiMap headers = Headers.forUpstream(exchange.request().headers());
            Headers.addEndpointHeaders(headers, endpoint);
            setCredential(headers, endpoint, key, exchange.identity());
            String query = exchange.request().query();
            String url = endpoint.url(attempt.operation().anthropicPath()) + (query == null ? "" : "?" + query);
            return new PassthroughCall(
                    endpoint,
                    new UpstreamRequest(
                            url,
                            headers,
                            attempt.request().withModel(attempt.target().model())));
        });
    }

    private static void setCredential(MultiMap headers, Endpoint endpoint, Secret key, ClientIdentity identity) {
        if (key != null) {
            headers.set("x-api-key", Headers.usableKey(endpoint, key));
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

    private record PassthroughCall(Endpoint endpoint, UpstreamRequest request) implements Call {
        @Override
        public boolean streams(HttpClientResponse response) {
            String type = response.getHeader("content-type");
            return type != null && type.startsWith("text/event-stream");
        }

        /**
         * Passed on as it came when it is in Anthropic shape (Claude Code shows its message), wrapped otherwise (a
         * proxy's HTML page, say) so the client still gets the shape it understands, with the upstream's status
         * either way.
         */
        @Override
        public AttemptFailure error(HttpClientResponse response, Buffer body, String why) {
            int status = response.statusCode();
            java.time.Duration retryAfter = RetryAfter.parse(response::getHeader, System.currentTimeMillis());
            Map<String, String> retryHeaders = retryHeaders(response.headers());
            JsonNode error = body == null ? null : anthropicError(body);
            if (error == null) {
                return AttemptFailure.status(
                        new ApiException(
                                ErrorType.forStatus(status),
                                status,
                                "endpoint \"" + endpoint.name() + "\" answered HTTP " + status + ": "
                                        + (body == null ? why : UpstreamErrors.snippet(body)),
                                retryHeaders,
                                null),
                        retryAfter,
                        null,
                        null);
            }
            ApiException summary = new ApiException(
                    ErrorType.byWireName(error.path("type").asText(), status),
                    status,
                    error.path("message").asText(),
                    retryHeaders,
                    null);
            return AttemptFailure.status(summary, retryAfter, body, response.headers());
        }

        /** Read whole before it is passed on: a broken or malformed one can still be retried. */
        @Override
        public WholeAnswer whole(HttpClientResponse response, Buffer body) {
            JsonNode answer = jsonObject(body);
            if (answer == null) {
                throw new ApiException(
                        ErrorType.API,
                        502,
                        "ccr: endpoint \"" + endpoint.name() + "\" answered with something that is not JSON: "
                                + UpstreamErrors.snippet(body),
                        Map.of(),
                        null);
            }
            JsonNode usage = answer.path("usage");
            return new WholeAnswer(response.statusCode(), response.headers(), false, body, Usage.of(usage));
        }

        @Override
        public StreamDecoder stream(HttpClientResponse response) {
            return new PassthroughStream(endpoint, response.statusCode(), response.headers());
        }
    }

    private static Map<String, String> retryHeaders(MultiMap headers) {
        Map<String, String> out = new HashMap<>(2);
        for (String name : new String[] {RetryAfter.HEADER, RetryAfter.HEADER_MS}) {
            String value = headers.get(name);
            if (value != null) {
                out.put(name, value);
            }
        }
        return out;
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

    /** An upstream's {@code event: error} as the failure it stands for, with the status its type goes with. */
    static AttemptFailure errorEvent(JsonNode event) {
        JsonNode error = event == null ? null : event.path("error");
        String type = error == null ? "api_error" : error.path("type").asText("api_error");
        ErrorType errorType = ErrorType.byWireName(type, 500);
        String message = error == null
                ? "an unreadable error event"
                : error.path("message").asText();
        return AttemptFailure.event(new ApiException(errorType, errorType.status(), message, Map.of(), null));
    }

    static AttemptFailure malformed(Endpoint endpoint, String what) {
        return AttemptFailure.of(
                Fault.BROKEN,
                new ApiException(
                        ErrorType.API,
                        502,
                        "ccr: endpoint \"" + endpoint.name() + "\" sent a malformed event stream (" + what + ")",
                        Map.of(),
                        null));
    }
}
