package dev.ccr.server.proxy;

import dev.ccr.server.cache.AnswerRecorder;
import dev.ccr.server.config.EffectiveConfig;
import dev.ccr.server.error.ApiException;
import dev.ccr.server.error.ErrorResponses;
import dev.ccr.server.error.ErrorType;
import dev.ccr.server.observe.CapturedBodies;
import dev.ccr.server.observe.RequestListener;
import dev.ccr.server.observe.RequestRecord;
import dev.ccr.server.routing.Target;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

/**
 * One client request on its way through the router: the config snapshot it started with, who sent it, where it goes,
 * and the upstream request it caused, so that a client that goes away can cancel it.
 */
public final class Exchange {
    public static final String HEADER_REQUEST_ID = "x-ccr-request-id";
    public static final String HEADER_ENDPOINT = "x-ccr-endpoint";
    public static final String HEADER_MODEL = "x-ccr-model";
    public static final String HEADER_ROUTE = "x-ccr-route";
    /** Each upstream attempt as {@code endpoint=outcome}, in order: where retries and failovers went. */
    public static final String HEADER_ATTEMPTS = "x-ccr-attempts";
    /** {@code hit}, {@code miss} or {@code bypass} when the response cache is on. */
    public static final String HEADER_CACHE = "x-ccr-cache";

    /** Told how the exchange ended, once, before it is recorded: where permits go back and breakers learn outcomes. */
    @FunctionalInterface
    public interface FinishListener {
        /**
         * @param errorType the Anthropic error type when it failed (also inside a started stream), {@code
         *     client_closed} when the client left first, else {@code null}
         */
        void finished(int status, String errorType);
    }

    private final RoutingContext context;
    private final String requestId;
    private final EffectiveConfig config;
    private final ClientIdentity identity;
    private final RequestListener listener;
    private final Operation operation;
    private final long startedAt = System.currentTimeMillis();
    private final long startNanos = System.nanoTime();
    private Target target;
    private String requestedModel;
    private boolean stream;
    private HttpClientRequest upstreamRequest;
    private boolean clientGone;
    private long firstByteNanos = -1;
    private long upstreamStartNanos = -1;
    private long upstreamEndNanos = -1;
    private final CapturedBodies bodies;
    private AnswerRecorder recorder;
    private long inputTokens;
    private long outputTokens;
    private long cacheReadTokens;
    private long cacheCreationTokens;
    private int attempts;
    private StringBuilder attemptTrail;
    private String cacheStatus;
    private boolean finished;
    private List<FinishListener> finishListeners = List.of();

    Exchange(
            RoutingContext context,
            String requestId,
            EffectiveConfig config,
            ClientIdentity identity,
            Operation operation,
            RequestListener listener) {
        this.context = context;
        this.requestId = requestId;
        this.config = config;
        this.identity = identity;
        this.operation = operation;
        this.listener = listener;
        this.bodies = config.log().bodies()
                ? new CapturedBodies(
                        config.log().maxBodyBytes(),
                        identity == null || identity.clientKey() == null ? List.of() : List.of(identity.clientKey()))
                : null;
        listener.started();
        // Vert.x Web owns the response's close and end handlers once any end handler is added, so both outcomes are
        // watched here: a client that left, and a response that ended by a path that did not record it (an unexpected
        // exception answered by the router's failure handler). The latter is deferred: forwarders end the response
        // and then record the outcome in the same callback, and their record, with its usage, must win.
        context.addEndHandler(outcome -> {
            if (outcome.failed() && !response().ended()) {
                clientGone = true;
                cancelUpstream();
                finish(STATUS_CLIENT_GONE, CLIENT_CLOSED);
                return;
            }
            context.vertx().runOnContext(v -> {
                int status = response().getStatusCode();
                finish(status, status >= 400 ? ErrorType.forStatus(status).wireName() : null);
            });
        });
    }

    /** The status recorded for a request whose client left before the answer was complete (nginx's convention). */
    public static final int STATUS_CLIENT_GONE = 499;
    /** The error type recorded for it. */
    public static final String CLIENT_CLOSED = "client_closed";

    public String requestId() {
        return requestId;
    }

    public EffectiveConfig config() {
        return config;
    }

    public ClientIdentity identity() {
        return identity;
    }

    public HttpServerRequest request() {
        return context.request();
    }

    public HttpServerResponse response() {
        return context.response();
    }

    public Target target() {
        return target;
    }

    /** Sets where the current attempt goes (and where the answer, when it succeeds, came from). */
    public void target(Target target) {
        this.target = target;
    }

    void requested(String model, boolean stream) {
        this.requestedModel = model;
        this.stream = stream;
    }

    /** Notes that the response's first byte is about to be sent; only the first call counts. */
    public void markFirstByte() {
        if (firstByteNanos < 0) {
            firstByteNanos = System.nanoTime();
        }
    }

    /** Records the usage the answer reported (cumulative values: later calls replace earlier ones). */
    public void usage(long input, long output, long cacheRead, long cacheCreation) {
        this.inputTokens = input;
        this.outputTokens = output;
        this.cacheReadTokens = cacheRead;
        this.cacheCreationTokens = cacheCreation;
    }

    /** Counts one upstream attempt; the first marks when the upstream's share of the time begins. */
    public void attempted() {
        attempts++;
        if (upstreamStartNanos < 0) {
            upstreamStartNanos = System.nanoTime();
        }
    }

    /**
     * Notes that the upstream has answered completely (its last byte arrived, or it failed); the last call counts.
     * What follows until the client has the last byte is the router's own time. Without it, the upstream's share is
     * taken to last until the exchange finishes.
     */
    public void upstreamDone() {
        upstreamEndNanos = System.nanoTime();
    }

    /** Adds an attempt's outcome to the trail shown in {@value #HEADER_ATTEMPTS} and the request log. */
    public void attemptOutcome(String endpoint, String outcome) {
        if (attemptTrail == null) {
            attemptTrail = new StringBuilder(32);
        } else {
            attemptTrail.append(", ");
        }
        attemptTrail.append(endpoint).append('=').append(outcome);
    }

    /** The attempts so far, as {@value #HEADER_ATTEMPTS} shows them; {@code null} before the first. */
    public String attemptTrail() {
        return attemptTrail == null ? null : attemptTrail.toString();
    }

    public int attempts() {
        return attempts;
    }

    /** Notes how the response cache treated this request ({@code hit}, {@code miss}, {@code bypass}). */
    public void cacheStatus(String status) {
        this.cacheStatus = status;
    }

    /** Everything the answer reported using, for limits: input, output and cache tokens. */
    public long totalTokens() {
        return inputTokens + outputTokens + cacheReadTokens + cacheCreationTokens;
    }

    /** Runs {@code listener} once when the exchange ends, whichever way, before it is recorded. */
    public void onFinish(FinishListener listener) {
        if (finishListeners.isEmpty()) {
            finishListeners = new java.util.ArrayList<>(2);
        }
        finishListeners.add(listener);
    }

    public boolean finished() {
        return finished;
    }

    /** Keeps what is sent to the client, to store it in the response cache if it turns out complete and successful. */
    public void record(AnswerRecorder recorder) {
        this.recorder = recorder;
    }

    /** Notes bytes sent to the client: for the request log when body logging is on, and for the response cache. */
    public void sent(Buffer chunk) {
        if (bodies != null) {
            bodies.sent(chunk);
        }
        if (recorder != null) {
            recorder.sent(chunk);
        }
    }

    /**
     * Records the outcome and tells the listeners, once; later calls are ignored, so whichever of "finished",
     * "failed" and "client left" happens first is what gets recorded.
     *
     * @param errorType the Anthropic error type when the request failed, else {@code null}
     */
    public void finish(int status, String errorType) {
        if (finished) {
            return;
        }
        finished = true;
        if (recorder != null && status == 200 && errorType == null && target != null) {
            String type = response().headers().get("content-type");
            recorder.complete(
                    type != null && type.startsWith("text/event-stream"),
                    target.endpoint().name(),
                    target.model(),
                    target.route(),
                    new long[] {inputTokens, outputTokens, cacheReadTokens, cacheCreationTokens});
        }
        for (FinishListener each : finishListeners) {
            try {
                each.finished(status, errorType);
            } catch (RuntimeException e) {
                // Releasing must not keep the request from being recorded; the bug still shows in the log.
                org.slf4j.LoggerFactory.getLogger(Exchange.class).error("[{}] finishing failed", requestId, e);
            }
        }
        long now = System.nanoTime();
        long upstreamNanos = upstreamStartNanos < 0
                ? -1
                : (upstreamEndNanos >= upstreamStartNanos ? upstreamEndNanos : now) - upstreamStartNanos;
        long overheadNanos = now - startNanos - Math.max(0, upstreamNanos);
        if (bodies != null) {
            bodies.complete(
                    request().headers(),
                    context.body() == null ? null : context.body().buffer(),
                    response().headers());
        }
        listener.completed(new RequestRecord(
                requestId,
                startedAt,
                request().getHeader("x-claude-code-session-id"),
                identity == null ? null : identity.displayName(),
                operation == Operation.COUNT_TOKENS ? RequestRecord.COUNT_TOKENS : RequestRecord.MESSAGES,
                requestedModel,
                target == null ? null : target.route(),
                target == null ? null : target.endpoint().name(),
                target == null ? null : target.model(),
                status,
                errorType,
                stream,
                firstByteNanos < 0 ? -1 : (firstByteNanos - startNanos) / 1_000_000,
                (now - startNanos) / 1_000_000,
                upstreamNanos < 0 ? -1 : upstreamNanos / 1_000_000,
                overheadNanos / 1_000,
                inputTokens,
                outputTokens,
                cacheReadTokens,
                cacheCreationTokens,
                attempts,
                attemptTrail(),
                "hit".equals(cacheStatus),
                bodies));
    }

    /** Elapsed time since the request arrived. */
    public long elapsedMillis() {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    /** Records the upstream request so a departing client can cancel it; cancels at once if the client already left. */
    public void upstreamRequest(HttpClientRequest request) {
        this.upstreamRequest = request;
        if (clientGone) {
            cancelUpstream();
        }
    }

    public boolean clientGone() {
        return clientGone;
    }

    /** Abandons the upstream request (the client left, or the answer is already known to be unusable). */
    public void cancelUpstream() {
        if (upstreamRequest != null) {
            upstreamRequest.reset();
            upstreamRequest = null;
        }
    }

    /** Adds the router's own headers that say how the request was served. */
    public void describeRouting() {
        HttpServerResponse response = response();
        response.putHeader(HEADER_REQUEST_ID, requestId);
        if (target != null) {
            response.putHeader(HEADER_ENDPOINT, target.endpoint().name());
            response.putHeader(HEADER_MODEL, Headers.echoed(target.model()));
            response.putHeader(HEADER_ROUTE, target.route());
        }
        if (attemptTrail != null) {
            response.putHeader(HEADER_ATTEMPTS, attemptTrail.toString());
        }
        if (cacheStatus != null) {
            response.putHeader(HEADER_CACHE, cacheStatus);
        }
    }

    /**
     * Answers with an upstream's error as it came (it is in Anthropic shape already, so Claude Code shows its message),
     * with the router's own headers, and records the outcome.
     */
    public void relayError(int status, MultiMap upstreamHeaders, Buffer body, String errorType) {
        HttpServerResponse client = response();
        if (client.headWritten()) {
            fail(new ApiException(ErrorType.forStatus(status), "ccr: the upstream failed after the answer started"));
            return;
        }
        client.setStatusCode(status);
        Headers.copyToClient(upstreamHeaders, client.headers(), false);
        if (!client.headers().contains("x-should-retry")) {
            // An upstream that does not say lets the client fall back on its own guess; say it as Anthropic would.
            client.putHeader("x-should-retry", Boolean.toString(ErrorResponses.isRetryable(status)));
        }
        describeRouting();
        markFirstByte();
        sent(body);
        client.end(body);
        finish(status, errorType);
    }

    /** Answers with an error if nothing was sent yet (see {@link ErrorResponses#send}) and records the outcome. */
    public void fail(ApiException failure) {
        boolean started = response().headWritten();
        if (!started) {
            describeRouting();
            markFirstByte();
            if (bodies != null) {
                bodies.sent(ErrorResponses.body(failure.type().wireName(), failure.getMessage(), requestId));
            }
        }
        ErrorResponses.send(response(), failure, requestId);
        finish(
                started ? response().getStatusCode() : failure.status(),
                failure.type().wireName());
    }

    /** Ends a started event stream with an {@code event: error} frame and records the outcome. */
    public void failStream(ApiException failure) {
        Buffer frame = ErrorResponses.sseFrame(failure.type().wireName(), failure.getMessage(), requestId);
        sent(frame);
        response().end(frame);
        finish(response().getStatusCode(), failure.type().wireName());
    }
}
