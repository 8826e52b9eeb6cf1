package dev.ccr.server.upstream;

import dev.ccr.server.config.Endpoint;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * One keep-alive connection pool per upstream origin (scheme, host, port). Endpoints that share an origin share its
 * pool; a reload keeps the pools of origins still in use, so connections survive unrelated config edits.
 */
public final class Upstreams implements AutoCloseable {
    public static final int DEFAULT_CONNECT_TIMEOUT_MS = 10_000;
    /** Longer than Claude Code's own five-minute stream watchdog, so the client decides first. */
    public static final int DEFAULT_IDLE_TIMEOUT_S = 330;

    /**
     * Connections per upstream origin. A streamed answer holds its connection for as long as it lasts (minutes for a
     * long Claude Code turn), so a smaller pool would make requests wait behind streams and then fail on the connect
     * timeout, which covers the wait for a pooled connection. Connections are opened only when needed and closed when
     * idle; limit an endpoint's concurrency with its {@code maxConcurrent} instead.
     */
    public static final int DEFAULT_POOL_SIZE = 2048;

    private final Vertx vertx;
    private final Map<String, HttpClientAgent> clients = new ConcurrentHashMap<>();

    public Upstreams(Vertx vertx) {
        this.vertx = vertx;
    }

    public HttpClientAgent client(Endpoint endpoint) {
        return clients.computeIfAbsent(origin(endpoint.baseUrl()), origin -> create(endpoint.baseUrl()));
    }

    /** Closes the pools no endpoint uses any more, letting their in-flight requests finish first. */
    public Future<Void> retainOnly(List<Endpoint> endpoints) {
        List<String> keep = endpoints.stream().map(e -> origin(e.baseUrl())).toList();
        List<Future<Void>> closing = new ArrayList<>();
        clients.entrySet().removeIf(entry -> {
            if (keep.contains(entry.getKey())) {
                return false;
            }
            closing.add(entry.getValue().shutdown(DEFAULT_IDLE_TIMEOUT_S, TimeUnit.SECONDS));
            return true;
        });
        return Future.all(closing).mapEmpty();
    }

    @Override
    public void close() {
        clients.values().forEach(HttpClientAgent::close);
        clients.clear();
    }

    private HttpClientAgent create(URI baseUrl) {
        boolean tls = baseUrl.getScheme().equalsIgnoreCase("https");
        HttpClientOptions options = new HttpClientOptions()
                .setSsl(tls)
                .setVerifyHost(true)
                .setConnectTimeout(DEFAULT_CONNECT_TIMEOUT_MS)
                .setIdleTimeout(DEFAULT_IDLE_TIMEOUT_S)
                .setIdleTimeoutUnit(TimeUnit.SECONDS)
                .setKeepAlive(true)
                .setTcpNoDelay(true)
                .setDecompressionSupported(false);
        return vertx.createHttpClient(options, new PoolOptions().setHttp1MaxSize(DEFAULT_POOL_SIZE));
    }

    static String origin(URI uri) {
        int port = uri.getPort() >= 0 ? uri.getPort() : uri.getScheme().equalsIgnoreCase("https") ? 443 : 80;
        return uri.getScheme().toLowerCase() + "://" + uri.getHost().toLowerCase() + ":" + port;
    }
}
