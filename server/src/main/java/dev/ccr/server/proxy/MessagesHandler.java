package dev.ccr.server.proxy;

import dev.ccr.server.config.ConfigHolder;
import dev.ccr.server.config.EffectiveConfig;
import dev.ccr.server.config.Endpoint;
import dev.ccr.server.error.ApiException;
import dev.ccr.server.observe.RequestListener;
import dev.ccr.server.routing.MessagesRequest;
import dev.ccr.server.routing.Route;
import dev.ccr.server.routing.RouteResolver;
import dev.ccr.server.routing.Target;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves {@code POST /v1/messages} and {@code /v1/messages/count_tokens}: parse just enough, route, answer from the
 * response cache when it can, and otherwise hand the request to the {@link Dispatcher}.
 */
public final class MessagesHandler implements Handler<RoutingContext> {
    private static final Logger log = LoggerFactory.getLogger(MessagesHandler.class);

    private final ConfigHolder config;
    private final RouteResolver resolver;
    private final Dispatcher dispatcher;
    private final ResponseCaching cache;
    private final Operation operation;
    private final RequestListener listener;
    private final InFlight inFlight;

    public MessagesHandler(
            ConfigHolder config,
            RouteResolver resolver,
            Dispatcher dispatcher,
            ResponseCaching cache,
            Operation operation,
            RequestListener listener,
            InFlight inFlight) {
        this.listener = listener;
        this.inFlight = inFlight;
        this.config = config;
        this.resolver = resolver;
        this.dispatcher = dispatcher;
        this.cache = cache;
        this.operation = operation;
    }

    @Override
    public void handle(RoutingContext context) {
        EffectiveConfig snapshot = config.current();
        Exchange exchange = new Exchange(
                context,
                context.get(RouterHttp.REQUEST_ID),
                snapshot,
                context.get(RouterHttp.IDENTITY),
                operation,
                listener);
        AnswerDeadline.watch(exchange, context.vertx());
        inFlight.track(exchange);
        try {
            // The subagent tag is the router's: it routes by it and the upstream never sees it.
            MessagesRequest request =
                    MessagesRequest.parse(context.body().buffer()).withoutSubagentTag();
            exchange.trace().requested(request.model(), request.stream());
            Route route = allowed(exchange, resolver.resolve(request, context.request()::getHeader, snapshot));
            exchange.target(route.first());
            // Each request's route at debug level (--debug): every request is in the request log already, and a line
            // per
            // request on the event loop is work the request waits for.
            if (log.isDebugEnabled()) {
                log.debug(
                        "[{}] {} model={} -> {} (route {})",
                        exchange.requestId(),
                        operation,
                        request.model(),
                        route.spec(),
                        route.name());
            }
            if (operation == Operation.MESSAGES) {
                cache.serve(exchange, request, route, () -> dispatch(exchange, request, route));
            } else {
                dispatcher.dispatch(exchange, operation, request, route);
            }
        } catch (ApiException failure) {
            exchange.client().fail(failure);
        }
    }

    private void dispatch(Exchange exchange, MessagesRequest request, Route route) {
        try {
            dispatcher.dispatch(exchange, operation, request, route);
        } catch (ApiException failure) {
            exchange.client().fail(failure);
        }
    }

    /**
     * A client without a router token may only spend its own key, on Anthropic endpoints that have none: the route
     * keeps the targets it may use.
     */
    private static Route allowed(Exchange exchange, Route route) {
        if (exchange.identity().tokenName() != null || !exchange.config().auth().requiresToken()) {
            return route;
        }
        List<Target> usable = new ArrayList<>(route.targets().size());
        for (Target target : route.targets()) {
            if (target.endpoint().apiKey() == null) {
                usable.add(target);
            }
        }
        if (usable.isEmpty()) {
            Endpoint first = route.first().endpoint();
            throw ApiException.authentication("ccr: endpoint \"" + first.name() + "\" needs a router token");
        }
        return usable.size() == route.targets().size() ? route : new Route(route.name(), route.spec(), usable);
    }
}
