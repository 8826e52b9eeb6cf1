package dev.ccr.server.proxy;

import dev.ccr.server.routing.MessagesRequest;

/**
 * Sends a routed request to its endpoint in that endpoint's wire format and relays the answer to the client in
 * Anthropic format. One implementation per format; {@link MessagesHandler} picks by the target's format.
 *
 * <p>Implementations answer the client exactly once, through {@link Exchange#response()} or {@link
 * Exchange#fail}, and may throw {@link dev.ccr.server.error.ApiException} before anything was sent.
 */
public interface Forwarder {
    void forward(Exchange exchange, Operation operation, MessagesRequest request);
}
