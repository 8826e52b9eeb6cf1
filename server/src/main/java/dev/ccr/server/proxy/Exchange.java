package dev.ccr.server.proxy;

import dev.ccr.server.cache.AnswerRecorder;
import dev.ccr.server.config.EffectiveConfig;
import dev.ccr.server.error.ErrorType;
import dev.ccr.server.observe.CapturedBodies;
import dev.ccr.server.observe.RequestListener;
import dev.ccr.server.observe.RequestRecord;
import dev.ccr.server.routing.Target;
import dev.ccr.server.translate.Usage;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * One client request on its way through the router: the config snapshot it started with, who sent it, where it goes,
 * the writer of its answer ({@link ClientResponse}) and its {@link Trace}, and the upstream request it caused, so that
 * a client that goes away can cancel it. It ends exactly once ({@link #finish}), which records it.
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

    /** The status recorded for a request whose client left before the answer was complete (nginx's convention). */
    public static final int STATUS_CLIENT_GONE = 499;
    /** The error type recorded for it. */
    public static final String CLIENT_CLOSED = "client_closed";

    /** Told how the exchange ended, once, before it is recorded: where permits go back and breakers learn outcomes. */
    @FunctionalInterface
    public interface FinishListener {
        /**
         * @param errorType the Anthropic error type when it failed (also inside a started stream), {@value
         *     #CLIENT_CLOSED} when the client left first, else {@code null}
         */
        void finished(int status, String errorType);
    }

    private final RoutingContext context;
    private final String requestId;
    private final EffectiveConfig config;
    private final ClientIdentity identity;
    private final RequestListener listener;
    private final Operation operation;
    private final Trace trace = new Trace();
    private final ClientResponse client;
    private final CapturedBodies bodies;
    private Target target;
    private HttpClientRequest upstreamRequest;
    private AnswerRecorder recorder;
    private boolean clientGone;
    private boolean endedByRouter;
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
        this.client = new ClientResponse(this, context.response());
        this.bodies = config.log().bodies()
                ? new CapturedBodies(
                        config.log().maxBodyBytes(),
                        identity == null || identity.clientKey() == null ? List.of() : List.of(identity.clientKey()))
                : null;
        listener.started();
        // Vert.x Web owns the response's close and end handlers once any end handler is added, so both outcomes are
        // watched here: a client that left, and a response that ended by a path that did not record it (an unexpected
        // exception answered by the router's failure handler). The latter is deferred: the writer ends the response
        // and then records the outcome in the same callback, and its record, with its usage, must win.
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

    public String requestId() {
        return requestId;
    }

    public EffectiveConfig config() {
        return config;
    }

    public ClientIdentity identity() {
        return identity;
    }

    public Operation operation() {
        return operation;
    }

    public HttpServerRequest request() {
        return context.request();
    }

    /** The writer of the answer: everything the client gets goes through it. */
    public ClientResponse client() {
        return client;
    }

    public Trace trace() {
        return trace;
    }

    HttpServerResponse response() {
        return context.response();
    }

    public Target target() {
        return target;
    }

    /** Sets where the current attempt goes (and where the answer, when it succeeds, came from). */
    public void target(Target target) {
        this.target = target;
    }

    /** Keeps what is sent to the client, to store it in the response cache if it turns out complete and successful. */
    void record(AnswerRecorder recorder) {
        this.recorder = recorder;
    }

    /** Notes bytes on their way to the client: for the request log when body logging is on, and for the cache. */
    void sent(Buffer chunk) {
        if (bodies != null) {
            bodies.sent(chunk);
        }
        if (recorder != null) {
            recorder.sent(chunk);
        }
    }

    /** Runs {@code listener} once when the exchange ends, whichever way, before it is recorded. */
    public void onFinish(FinishListener listener) {
        if (finishListeners.isEmpty()) {
            finishListeners = new ArrayList<>(2);
        }
        finishListeners.add(listener);
    }

    public boolean finished() {
        return finished;
    }

    public boolean clientGone() {
        return clientGone;
    }

    /**
     * The router itself ends this request, for a reason that is not the upstream's doing (it is shutting down, or lost
     * track of the request): the attempt in flight is settled as abandoned, never counted against its endpoint.
     */
    void endedByRouter() {
        endedByRouter = true;
    }

    boolean wasEndedByRouter() {
        return endedByRouter;
    }

    /** Records the upstream request so a departing client can cancel it; cancels at once if the client already left. */
    public void upstreamRequest(HttpClientRequest request) {
        this.upstreamRequest = request;
        if (clientGone) {
            cancelUpstream();
        }
    }

    /** Abandons the upstream request (the client left, or the answer is already known to be unusable). */
    public void cancelUpstream() {
        if (upstreamRequest != null) {
            upstreamRequest.reset();
            upstreamRequest = null;
        }
    }

    /** Adds the router's own headers that say how the request was served. */
    void describeRouting() {
        HttpServerResponse response = response();
        response.putHeader(HEADER_REQUEST_ID, requestId);
        if (target != null) {
            response.putHeader(HEADER_ENDPOINT, target.endpoint().name());
            response.putHeader(HEADER_MODEL, Headers.echoed(target.model()));
            response.putHeader(HEADER_ROUTE, target.route());
        }
        String trail = trace.trail();
        if (trail != null) {
            response.putHeader(HEADER_ATTEMPTS, trail);
        }
        if (trace.cacheStatus() != null) {
            response.putHeader(HEADER_CACHE, trace.cacheStatus());
        }
    }

    /**
     * Records the outcome and tells the listeners, once; later calls are ignored, so whichever of "finished", "failed"
     * and "client left" happens first is what gets recorded.
     *
     * @param errorType the Anthropic error type when the request failed, else {@code null}
     */
    void finish(int status, String errorType) {
        if (finished) {
            return;
        }
        finished = true;
        Usage usage = trace.usage();
        if (recorder != null && status == 200 && errorType == null && target != null) {
            String type = response().headers().get("content-type");
            recorder.complete(
                    type != null && type.startsWith("text/event-stream"),
                    target.endpoint().name(),
                    target.model(),
                    target.route(),
                    usage);
        }
        for (FinishListener each : finishListeners) {
            try {
                each.finished(status, errorType);
            } catch (RuntimeException e) {
                // Releasing must not keep the request from being recorded; the bug still shows in the log.
                LoggerFactory.getLogger(Exchange.class).error("[{}] finishing failed", requestId, e);
            }
        }
        long now = System.nanoTime();
        long upstreamNanos = trace.upstreamNanos(now);
        long overheadNanos = now - trace.startNanos() - Math.max(0, upstreamNanos);
        if (bodies != null) {
            bodies.complete(
                    request().headers(),
                    context.body() == null ? null : context.body().buffer(),
                    response().headers());
        }
        listener.completed(new RequestRecord(
                requestId,
                trace.startedAt(),
                request().getHeader("x-claude-code-session-id"),
                identity == null ? null : identity.displayName(),
                operation == Operation.COUNT_TOKENS ? RequestRecord.COUNT_TOKENS : RequestRecord.MESSAGES,
                trace.requestedModel(),
                target == null ? null : target.route(),
                target == null ? null : target.endpoint().name(),
                target == null ? null : target.model(),
                status,
                errorType,
                trace.stream(),
                trace.firstByteMillis(),
                (now - trace.startNanos()) / 1_000_000,
                upstreamNanos < 0 ? -1 : upstreamNanos / 1_000_000,
                overheadNanos / 1_000,
                usage.input(),
                usage.output(),
                usage.cacheRead(),
                usage.cacheCreation(),
                trace.attempts(),
                trace.trail(),
                "hit".equals(trace.cacheStatus()),
                bodies));
    }
}
