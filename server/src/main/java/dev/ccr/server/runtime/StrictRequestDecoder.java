package dev.ccr.server.runtime;

import io.netty.handler.codec.http.HttpMessage;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.impl.VertxHttpRequestDecoder;

/**
 * Vert.x's HTTP/1.x request decoder, except that a request with both {@code Content-Length} and {@code
 * Transfer-Encoding: chunked} is refused instead of taken as chunked. The two framings disagree about where the body
 * ends, and whatever follows the end one of them sees is a second request hidden in the first one's body (request
 * smuggling). Netty then marks the request as undecodable, Vert.x answers 400 with {@code connection: close} and closes
 * the connection, and nothing after it on that connection is read.
 */
final class StrictRequestDecoder extends VertxHttpRequestDecoder {
    StrictRequestDecoder(HttpServerOptions options) {
        super(options);
    }

    @Override
    protected void handleTransferEncodingChunkedWithContentLength(HttpMessage message) {
        throw new IllegalArgumentException("Content-Length and Transfer-Encoding together make the framing ambiguous");
    }
}
