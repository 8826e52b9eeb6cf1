package dev.ccr.server.upstream;

import dev.ccr.server.config.Endpoint;
import dev.ccr.server.config.Secret;
import io.vertx.core.Future;

/**
 * Where an endpoint's API key comes from. The config file is one source; an editor's secret storage (over JSON-RPC)
 * is another, and may have to be asked, which is why the answer is a future. A {@code null} result means the endpoint
 * has no key of its own, and the client's key is forwarded (Anthropic endpoints only).
 */
public interface EndpointCredentials {
    /** Keys from the config file only. */
    EndpointCredentials CONFIG_ONLY = endpoint -> Future.succeededFuture(endpoint.apiKey());

    Future<Secret> apiKey(Endpoint endpoint);
}
