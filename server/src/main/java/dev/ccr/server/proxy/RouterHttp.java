package dev.ccr.server.proxy;

import dev.ccr.server.config.ConfigHolder;
import dev.ccr.server.config.EffectiveConfig;
import dev.ccr.server.error.ApiException;
import dev.ccr.server.error.ErrorResponses;
import dev.ccr.server.error.ErrorType;
import dev.ccr.server.observe.RequestListener;
import dev.ccr.server.observe.http.StatsApi;
import dev.ccr.server.routing.RouteResolver;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP surface (docs/ARCHITECTURE.md): which paths exist, which checks run before them, and how failures become Anthropic
 * errors. Paths are accepted with and without a doubled {@code /v1} prefix, because guides tell users to set the base
 * URL to {@code http://localhost:3000/v1} and Claude Code then appends {@code /v1/messages}.
 */
public final class RouterHttp {
    private static final Logger log = LoggerFactory.getLogger(RouterHttp.class);
    static final String REQUEST_ID = "ccr.requestId";
    static final String IDENTITY = "ccr.identity";
    private static final String API_PREFIX = "(?:/v1)?/v1";
    private static final Pattern KNOWN_PATH = Pattern.compile(API_PREFIX + "/(?:messages(?:/count_tokens)?|models)");

    private RouterHttp() {}

    /**
     * Builds the router for one HTTP server.
     *
     * @param health the body of {@code GET /health}
     * @param ops {@code /metrics} and the {@code /ccr/stats} API
     * @param modelLists the model lists of Anthropic endpoints that name none, for {@code /v1/models}
     * @param inFlight where Messages requests are followed until answered, for shutdown
     */
    public static Router create(
            Vertx vertx,
            ConfigHolder config,
            RouteResolver resolver,
            Dispatcher dispatcher,
            ResponseCaching cache,
            RequestListener listener,
            Supplier<String> health,
            StatsApi ops,
            UpstreamModelLists modelLists,
            InFlight inFlight) {
        Router router = Router.router(vertx);

        // Cheap and unauthenticated: Claude Code sends HEAD to the base URL at start-up; monitors poll /health.
        router.routeWithRegex(HttpMethod.HEAD, "/(?:v1/?)?")
                .handler(ctx -> ctx.response().end());
        router.get("/health").handler(ctx -> ctx.response()
                .putHeader("content-type", "application/json")
                .putHeader("cache-control", "no-store")
                .end(health.get()));

        // Everything else passes one guard at the front, whatever its path and however it is spelled: the path is
        // classified as Vert.x routes it (its normalised form), so no spelling can reach a handler unchecked.
        router.route().handler(ctx -> guard(ctx, config.current().auth()));
        router.postWithRegex(API_PREFIX + "/messages(?:/count_tokens)?").handler(RouterHttp::requireJson);
        router.postWithRegex(API_PREFIX + "/messages(?:/count_tokens)?").handler(new BodyReader(config));
        router.postWithRegex(API_PREFIX + "/messages")
                .handler(new MessagesHandler(
                        config, resolver, dispatcher, cache, Operation.MESSAGES, listener, inFlight));
        router.postWithRegex(API_PREFIX + "/messages/count_tokens")
                .handler(new MessagesHandler(
                        config, resolver, dispatcher, cache, Operation.COUNT_TOKENS, listener, inFlight));
        router.getWithRegex(API_PREFIX + "/models").handler(new ModelsHandler(config, modelLists));
        // Exact paths (a regex must match all of it), where a plain path route would also take a trailing slash.
        router.getWithRegex("/metrics").handler(ops::metrics);
        router.getWithRegex("/ccr/stats").handler(ops::live);
        router.getWithRegex("/ccr/stats/recent").handler(ops::recent);
        router.getWithRegex("/ccr/stats/usage").handler(ops::usage);
        router.route()
                .handler(ctx -> ctx.fail(
                        KNOWN_PATH.matcher(ctx.normalizedPath()).matches()
                                ? new ApiException(
                                        ErrorType.INVALID_REQUEST,
                                        405,
                                        "ccr: method " + ctx.request().method() + " is not allowed on "
                                                + ctx.request().path(),
                                        Map.of(),
                                        null)
                                : ApiException.notFound("ccr: no such endpoint: "
                                        + ctx.request().method() + " "
                                        + ctx.request().path())));
        router.route().failureHandler(ctx -> onFailure(ctx, config));
        return router;
    }

    /**
     * The checks before any route but the two cheap public ones: Host and Origin for everyone, the credential against
     * the router tokens, and, for anything but the Messages and models API ({@code /metrics}, {@code /ccr/*}, and
     * paths that exist nowhere), a router token whenever tokens are configured: usage by session is nobody else's
     * business, and a client's own Anthropic key is no permission to read it.
     */
    private static void guard(RoutingContext ctx, EffectiveConfig.Auth auth) {
        ctx.put(REQUEST_ID, RequestIds.next());
        ClientIdentity identity = AccessGuard.check(ctx.request(), auth);
        if (auth.requiresToken()
                && identity.tokenName() == null
                && !KNOWN_PATH.matcher(ctx.normalizedPath()).matches()) {
            throw ApiException.authentication(
                    "ccr: " + ctx.request().path() + " needs a router token (x-api-key or Authorization: Bearer)");
        }
        ctx.put(IDENTITY, identity);
        ctx.next();
    }

    /**
     * Bodies are JSON, and say so. A web page can send {@code text/plain}, form and multipart bodies to any address
     * without the browser asking the server first (CORS "simple requests"); refusing them before reading the body
     * closes that door whatever else a browser sends.
     */
    private static void requireJson(RoutingContext ctx) {
        String type = ctx.request().getHeader("content-type");
        String mediaType = type == null ? "" : type.split(";", 2)[0].strip().toLowerCase(java.util.Locale.ROOT);
        if (mediaType.equals("application/json")
                || (mediaType.startsWith("application/") && mediaType.endsWith("+json"))) {
            ctx.next();
            return;
        }
        throw new ApiException(
                ErrorType.INVALID_REQUEST,
                415,
                "ccr: the request body must be JSON with content-type: application/json"
                        + (type == null ? " (no content-type was sent)" : " (got " + Headers.echoed(type) + ")"),
                Map.of(),
                null);
    }

    /** Every failure of every route ends here, once, in the Anthropic error shape. */
    private static void onFailure(RoutingContext ctx, ConfigHolder config) {
        if (ctx.response().closed()) {
            // The client went away (an aborted upload, a connection cut off by its deadlines): nobody to answer, and
            // nothing wrong with the router.
            log.debug(
                    "[{}] the client closed the connection before its request was answered: {}",
                    (String) ctx.get(REQUEST_ID),
                    String.valueOf(ctx.failure()));
            return;
        }
        ApiException failure = asApiException(ctx, config);
        if (failure.type() == ErrorType.API) {
            log.error("[{}] internal error", (String) ctx.get(REQUEST_ID), ctx.failure());
        }
        ErrorResponses.send(ctx.response(), failure, ctx.get(REQUEST_ID));
    }

    private static ApiException asApiException(RoutingContext ctx, ConfigHolder config) {
        Throwable failure = ctx.failure();
        if (failure instanceof ApiException api) {
            return api;
        }
        return switch (ctx.statusCode()) {
            case 413 ->
                new ApiException(
                        ErrorType.REQUEST_TOO_LARGE,
                        "ccr: request body exceeds " + (config.current().maxBodyBytes() >> 20)
                                + " MiB; raise maxBodyMB in the config to allow more");
            case 405 ->
                new ApiException(
                        ErrorType.INVALID_REQUEST,
                        405,
                        "ccr: method " + ctx.request().method() + " is not allowed on "
                                + ctx.request().path(),
                        Map.of(),
                        null);
            case 404 ->
                ApiException.notFound("ccr: no such endpoint: " + ctx.request().path());
            case 400 -> ApiException.invalidRequest("ccr: malformed request");
            default ->
                new ApiException(
                        ErrorType.API,
                        "ccr: internal error (request " + ctx.get(REQUEST_ID) + "); see the router log",
                        failure);
        };
    }
}
