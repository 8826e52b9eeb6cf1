package dev.ccr.server.proxy;

import dev.ccr.server.error.ApiException;
import dev.ccr.server.error.ErrorType;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The requests to the Messages API (count_tokens included) being answered right now, so that a router that stops can end each one properly when the
 * drain time runs out: a stream gets the {@code event: error} frame that says it is incomplete (docs/ARCHITECTURE.md:
 * a stream never looks complete when cut), a request not yet answered gets an error answer, instead of both seeing
 * only a closed connection.
 */
public final class InFlight {
    private final Map<Exchange, Context> exchanges = new ConcurrentHashMap<>();

    /** Follows {@code exchange} until it finishes; called on its event loop. */
    void track(Exchange exchange) {
        Context context = Vertx.currentContext();
        if (context == null) {
            return;
        }
        exchanges.put(exchange, context);
        exchange.onFinish((status, errorType) -> exchanges.remove(exchange));
    }

    /** Ends every request still being answered, each on its own event loop, with an error that says why. */
    public void endAll() {
        exchanges.forEach((exchange, context) -> context.runOnContext(v -> {
            if (exchange.finished()) {
                return;
            }
            // The client's last word first: cancelling the upstream first would end a stream with the relay's own
            // "failed mid-stream" instead of the reason.
            exchange.endedByRouter();
            exchange.client()
                    .fail(new ApiException(
                            ErrorType.API,
                            "ccr: the router is shutting down and request " + exchange.requestId()
                                    + " was not finished within its drain time; send it again once a router runs"));
            exchange.cancelUpstream();
        }));
    }
}
