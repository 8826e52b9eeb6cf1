package dev.ccr.server.upstream;

import dev.ccr.server.config.Endpoint;
import dev.ccr.server.config.UpstreamProxy;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.net.ProxyOptions;
import io.vertx.core.net.ProxyType;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * One keep-alive connection pool per upstream origin (scheme, host, port) and proxy. Endpoints that share both share
 * the pool; a reload keeps the pools still in use, so connections survive unrelated config edits.
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
    private final Map<PoolKey, HttpClientAgent> clients = new ConcurrentHashMap<>();

    /** What a pool's connections have in common: where they go, and through which proxy ({@code null}: none). */
    private record PoolKey(String origin, UpstreamProxy proxy) {
        static PoolKey of(Endpoint endpoint) {
            return new PoolKey(Upstreams.origin(endpoint.baseUrl()), endpoint.proxy());
        }
    }

    public Upstreams(Vertx vertx) {
        this.vertx = vertx;
    }

    public HttpClientAgent client(Endpoint endpoint) {
        return clients.computeIfAbsent(PoolKey.of(endpoint), key -> create(endpoint.baseUrl(), key.proxy()));
    }

    /** Closes the pools no endpoint uses any more, letting their in-flight requests finish first. */
    public Future<Void> retainOnly(List<Endpoint> endpoints) {
        List<PoolKey> keep = endpoints.stream().map(PoolKey::of).toList();
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

    private HttpClientAgent create(URI baseUrl, UpstreamProxy proxy) {
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
        if (proxy != null) {
            options.setProxyOptions(proxyOptions(proxy));
        }
        return vertx.createHttpClient(options, new PoolOptions().setHttp1MaxSize(DEFAULT_POOL_SIZE));
    }

    /**
     * Vert.x's proxy settings: HTTP proxies get plain requests for {@code http://} upstreams and a {@code CONNECT}
     * tunnel for {@code https://} ones; SOCKS proxies are handed the host name, so they resolve it themselves.
     */
    static ProxyOptions proxyOptions(UpstreamProxy proxy) {
        ProxyOptions options = new ProxyOptions()
                .setType(
                        switch (proxy.kind()) {
                            case HTTP -> ProxyType.HTTP;
                            case SOCKS4 -> ProxyType.SOCKS4;
                            case SOCKS5 -> ProxyType.SOCKS5;
                        })
                .setHost(proxy.host())
                .setPort(proxy.port());
        if (proxy.username() != null) {
            options.setUsername(proxy.username());
        }
        if (proxy.password() != null) {
            options.setPassword(proxy.password().reveal());
        }
        return options;
    }

    static String origin(URI uri) {
        int port = uri.getPort() >= 0 ? uri.getPort() : uri.getScheme().equalsIgnoreCase("https") ? 443 : 80;
        return uri.getScheme().toLowerCase() + "://" + uri.getHost().toLowerCase() + ":" + port;
    }
}
