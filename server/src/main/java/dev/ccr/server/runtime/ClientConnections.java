package dev.ccr.server.runtime;

import dev.ccr.server.config.ConfigHolder;
import dev.ccr.server.config.EffectiveConfig;
import dev.ccr.server.error.ErrorResponses;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelPipeline;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.impl.ConnectionBase;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every client connection gets when it opens, shared by the router's HTTP servers: a place under the cap on open
 * connections ({@code connections.maxOpen}), the strict request decoder, and its deadlines ({@link
 * ConnectionDeadlines}). Settings are read from the config in force when the connection opens.
 *
 * <p>Vert.x offers no hook for any of this, so it reaches into the connection's Netty pipeline through Vert.x's
 * implementation classes ({@code ConnectionBase}, {@code VertxHttpRequestDecoder}, the pipeline's handler names); the
 * tests that prove the deadlines and the framing check fail if a Vert.x upgrade changes them.
 */
final class ClientConnections {
    private static final Logger log = LoggerFactory.getLogger(ClientConnections.class);
    private static final String DECODER = "httpDecoder";
    private static final String VERTX_HANDLER = "handler";
    private static final byte[] FULL = full();

    private final ConfigHolder config;
    private final HttpServerOptions options;
    private final AtomicInteger open = new AtomicInteger();
    private volatile boolean warnedFull;

    ClientConnections(ConfigHolder config, HttpServerOptions options) {
        this.config = config;
        this.options = options;
    }

    /** Connections open now. */
    int open() {
        return open.get();
    }

    /** Called by Vert.x for each new connection, on its event loop, before any request on it is read. */
    void opened(HttpConnection connection) {
        if (!(connection instanceof ConnectionBase base)) {
            return;
        }
        Channel channel = base.channel();
        ChannelPipeline pipeline = channel.pipeline();
        if (pipeline.get(DECODER) == null || pipeline.get(ConnectionDeadlines.READS) != null) {
            return; // not HTTP/1.x, or a connection already seen
        }
        EffectiveConfig.Connections limits = config.current().connections();
        if (open.incrementAndGet() > limits.maxOpen()) {
            open.decrementAndGet();
            if (!warnedFull) {
                warnedFull = true;
                log.warn(
                        "{} client connections are open, the most connections.maxOpen allows; refusing new ones",
                        limits.maxOpen());
            }
            // Straight to the socket: no request has been read that Vert.x could answer.
            pipeline.firstContext().writeAndFlush(Unpooled.wrappedBuffer(FULL)).addListener(done -> channel.close());
            return;
        }
        warnedFull = false;
        channel.closeFuture().addListener(closed -> open.decrementAndGet());
        pipeline.replace(DECODER, DECODER, new StrictRequestDecoder(options));
        ConnectionDeadlines deadlines = new ConnectionDeadlines(limits);
        pipeline.addBefore(DECODER, ConnectionDeadlines.READS, deadlines.reads());
        pipeline.addBefore(VERTX_HANDLER, "ccrDeadlines", deadlines);
    }

    private static byte[] full() {
        String body = ErrorResponses.body(
                        "overloaded_error",
                        "ccr: too many open connections (connections.maxOpen); try again shortly",
                        null)
                .toString();
        return ("HTTP/1.1 503 Service Unavailable\r\ncontent-type: application/json\r\nconnection: close\r\n"
                        + "content-length: " + body.length() + "\r\n\r\n" + body)
                .getBytes(StandardCharsets.US_ASCII);
    }
}
