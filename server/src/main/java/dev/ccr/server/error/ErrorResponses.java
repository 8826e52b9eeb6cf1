package dev.ccr.server.error;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ccr.server.json.Json;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;

/**
 * Writes the router's own failures in the Anthropic error shape, {@code {"type":"error","error":{"type":…,
 * "message":…},"request_id":…}}, either as a whole response or, once a stream has started, as an {@code event: error}
 * frame. This is the one place failures meet the wire.
 */
public final class ErrorResponses {
    private ErrorResponses() {}

    /** The error body for a type and message. */
    public static Buffer body(String wireType, String message, String requestId) {
        ObjectNode root = Json.object();
        root.put("type", "error");
        ObjectNode error = root.putObject("error");
        error.put("type", wireType);
        error.put("message", message);
        if (requestId != null) {
            root.put("request_id", requestId);
        }
        return Buffer.buffer(Json.writeBytes(root));
    }

    /**
     * Answers with the error if the response has not started; if it has, there is nothing valid left to say in JSON,
     * so the connection is closed instead of letting a cut body look complete.
     */
    public static void send(HttpServerResponse response, ApiException failure, String requestId) {
        if (response.closed() || response.ended()) {
            return;
        }
        if (response.headWritten()) {
            response.reset();
            return;
        }
        response.setStatusCode(failure.status());
        response.headers().remove("content-length");
        response.putHeader("content-type", "application/json");
        response.putHeader("x-should-retry", Boolean.toString(Fault.retryableStatus(failure.status())));
        if (requestId != null) {
            response.putHeader("request-id", requestId);
        }
        failure.headers().forEach(response::putHeader);
        response.end(body(failure.type().wireName(), failure.getMessage(), requestId));
    }
}
