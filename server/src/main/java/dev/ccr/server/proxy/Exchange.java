package dev.ccr.server.proxy;

import dev.ccr.server.config.EffectiveConfig;
import dev.ccr.server.error.ApiException;
import dev.ccr.server.error.ErrorResponses;
import dev.ccr.server.routing.Target;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

/**
 * One client request on its way through the router: the config snapshot it started with, who sent it, where it goes,
 * and the upstream request it caused, so that a client that goes away can cancel it.
 */
public final class Exchange {
    public static final String HEADER_REQUEST_ID = "x-ccr-request-id";
    public static final String HEADER_ENDPOINT = "x-ccr-endpoint";
    public static final String HEADER_MODEL = "x-ccr-model";
    public static final String HEADER_ROUTE = "x-ccr-route";

    private final RoutingContext context;
    private final String requestId;
    private final EffectiveConfig config;
    private final ClientIdentity identity;
    private final long startNanos = System.nanoTime();
    private Target target;
    private HttpClientRequest upstreamRequest;
    private boolean clientGone;

    Exchange(RoutingContext context, String requestId, EffectiveConfig config, ClientIdentity identity) {
        this.context = context;
        this.requestId = requestId;
        this.config = config;
        this.identity = identity;
        response().closeHandler(v -> {
            if (!response().ended()) {
                clientGone = true;
                cancelUpstream();
            }
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

    public HttpServerRequest request() {
        return context.request();
    }

    public HttpServerResponse response() {
        return context.response();
    }

    public Target target() {
        return target;
    }

    void target(Target target) {
        this.target = target;
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

    private void cancelUpstream() {
        if (upstreamRequest != null) {
            upstreamRequest.reset();
        }
    }

    /** Adds the router's own headers that say how the request was served. */
    public void describeRouting() {
        HttpServerResponse response = response();
        response.putHeader(HEADER_REQUEST_ID, requestId);
        if (target != null) {
            response.putHeader(HEADER_ENDPOINT, target.endpoint().name());
            response.putHeader(HEADER_MODEL, target.model());
            response.putHeader(HEADER_ROUTE, target.route());
        }
    }

    /** Answers with an error if nothing was sent yet; see {@link ErrorResponses#send}. */
    public void fail(ApiException failure) {
        if (!response().headWritten()) {
            describeRouting();
        }
        ErrorResponses.send(response(), failure, requestId);
    }
}
