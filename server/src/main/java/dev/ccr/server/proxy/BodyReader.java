package dev.ccr.server.proxy;

import dev.ccr.server.config.ConfigHolder;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * Reads request bodies up to the configured cap (413 beyond it). Requests must be read whole to be routed; responses
 * never are. The cap follows config reloads.
 */
final class BodyReader implements Handler<RoutingContext> {
    private final ConfigHolder config;
    private volatile long limit = -1;
    private volatile BodyHandler delegate;

    BodyReader(ConfigHolder config) {
        this.config = config;
    }

    @Override
    public void handle(RoutingContext context) {
        long wanted = config.current().maxBodyBytes();
        BodyHandler handler = delegate;
        if (handler == null || limit != wanted) {
            handler = BodyHandler.create(false).setBodyLimit(wanted).setPreallocateBodyBuffer(true);
            delegate = handler;
            limit = wanted;
        }
        handler.handle(context);
    }
}
