package dev.ccr.server.testing;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;

/**
 * A request as a fake upstream received it: exactly the bytes and headers the router sent.
 *
 * @param connection identifies the TCP connection it came on, to tell reuse from new connections
 */
public record RecordedRequest(String method, String path, String query, MultiMap headers, Buffer body, int connection) {
    public String header(String name) {
        return headers.get(name);
    }

    public String bodyText() {
        return body.toString();
    }
}
