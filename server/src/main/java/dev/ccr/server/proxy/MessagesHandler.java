package dev.ccr.server.proxy;

import dev.ccr.server.config.ConfigHolder;
import dev.ccr.server.config.EffectiveConfig;
import dev.ccr.server.config.Endpoint;
import dev.ccr.server.config.WireFormat;
import dev.ccr.server.error.ApiException;
import dev.ccr.server.error.ErrorType;
import dev.ccr.server.observe.RequestListener;
import dev.ccr.server.routing.MessagesRequest;
import dev.ccr.server.routing.RouteResolver;
import dev.ccr.server.routing.Target;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Serves {@code POST /v1/messages} and {@code /v1/messages/count_tokens}: parse just enough, route, forward. */
public final class MessagesHandler implements Handler<RoutingContext> {
    private static final Logger log = LoggerFactory.getLogger(MessagesHandler.class);

    private final ConfigHolder config;
    private final RouteResolver resolver;
    private final Map<WireFormat, Forwarder> forwarders;
    private final Operation operation;
    private final RequestListener listener;

    public MessagesHandler(
            ConfigHolder config,
            RouteResolver resolver,
            Map<WireFormat, Forwarder> forwarders,
            Operation operation,
            RequestListener listener) {
        this.listener = listener;
        this.config = config;
        this.resolver = resolver;
        this.forwarders = Map.copyOf(forwarders);
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
        try {
            MessagesRequest request = MessagesRequest.parse(context.body().buffer());
            exchange.requested(request.model(), request.stream());
            Target target = resolver.resolve(request, context.request()::getHeader, snapshot);
            exchange.target(target);
            checkAllowed(exchange, target.endpoint());
            log.info(
                    "[{}] {} model={} -> {}/{} (route {})",
                    exchange.requestId(),
                    operation,
                    request.model(),
                    target.endpoint().name(),
                    target.model(),
                    target.route());
            Forwarder forwarder = forwarders.get(target.endpoint().format());
            if (forwarder == null) {
                throw new ApiException(
                        ErrorType.INVALID_REQUEST,
                        "ccr: endpoint \"" + target.endpoint().name() + "\" speaks "
                                + target.endpoint().format().name().toLowerCase(java.util.Locale.ROOT)
                                + " format, which this build cannot translate");
            }
            forwarder.forward(exchange, operation, request);
        } catch (ApiException failure) {
            exchange.fail(failure);
        }
    }

    /** A client without a router token may only spend its own key, on Anthropic endpoints that have none. */
    private static void checkAllowed(Exchange exchange, Endpoint endpoint) {
        if (exchange.identity().tokenName() == null
                && exchange.config().auth().requiresToken()
                && endpoint.apiKey() != null) {
            throw ApiException.authentication("ccr: endpoint \"" + endpoint.name() + "\" needs a router token");
        }
    }
}
