package dev.ccr.server.runtime;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * One HTTP server on one event loop. Several instances share the listening port, and Vert.x spreads connections
 * across them.
 */
final class ProxyVerticle extends VerticleBase {
    /** Longer than any sane wait for an upstream; keeps dead clients from holding connections forever. */
    static final int IDLE_TIMEOUT_SECONDS = 600;

    private final String host;
    private final int port;
    private final Function<io.vertx.core.Vertx, Router> routes;
    private final ClientConnections connections;
    private HttpServer server;

    ProxyVerticle(String host, int port, Function<io.vertx.core.Vertx, Router> routes, ClientConnections connections) {
        this.host = host;
        this.port = port;
        this.routes = routes;
        this.connections = connections;
    }

    /** The options of every HTTP server of the router; the request decoder takes its limits from them. */
    static HttpServerOptions options(String host, int port) {
        return new HttpServerOptions()
                .setHost(host)
                .setPort(port)
                .setTcpNoDelay(true)
                .setCompressionSupported(false)
                .setMaxHeaderSize(64 * 1024)
                // HTTP/1.1 only: Claude Code and the SDKs speak it, a client asking for an h2c upgrade is answered in
                // HTTP/1.1, and cleartext HTTP/2 would bring its own framing and flood handling, and bypass the
                // connection deadlines, for nobody's benefit.
                .setHttp2ClearTextEnabled(false)
                // A backstop behind ClientConnections' deadlines.
                .setIdleTimeout(IDLE_TIMEOUT_SECONDS)
                .setIdleTimeoutUnit(TimeUnit.SECONDS);
    }

    @Override
    public Future<?> start() {
        server = vertx.createHttpServer(options(host, port))
                .connectionHandler(connections::opened)
                .requestHandler(routes.apply(vertx));
        return server.listen();
    }

    int actualPort() {
        return server.actualPort();
    }

    /** Stops accepting and lets in-flight requests finish, for at most {@code drainMillis}. */
    Future<Void> drain(long drainMillis) {
        return server == null ? Future.succeededFuture() : server.shutdown(drainMillis, TimeUnit.MILLISECONDS);
    }
}
