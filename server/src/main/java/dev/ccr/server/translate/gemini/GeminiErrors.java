package dev.ccr.server.translate.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ccr.server.config.Endpoint;
import dev.ccr.server.error.ApiException;
import dev.ccr.server.error.ErrorType;
import dev.ccr.server.translate.UpstreamErrors;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;

/**
 * Gemini errors, {@code {"error": {"code", "message", "status"}}} (sometimes wrapped in an array), as an HTTP answer
 * or inside a stream. The gRPC-style {@code status} says more than the HTTP code: {@code UNAVAILABLE} is Gemini's
 * "overloaded", which Claude Code handles as Anthropic's 529.
 */
final class GeminiErrors {
    private GeminiErrors() {}

    static ApiException http(Endpoint endpoint, int status, Buffer body, MultiMap headers) {
        JsonNode json = UpstreamErrors.json(body);
        if (json != null && json.isArray() && !json.isEmpty()) {
            json = json.get(0);
        }
        JsonNode error = json == null ? null : json.get("error");
        if (error == null || !error.isObject()) {
            return UpstreamErrors.http(
                    endpoint, status, ErrorType.forStatus(status), UpstreamErrors.snippet(body), headers);
        }
        return UpstreamErrors.http(
                endpoint, status, type(error.path("status").asText(""), status), message(error), headers);
    }

    static ApiException inStream(Endpoint endpoint, JsonNode error) {
        return UpstreamErrors.inStream(
                endpoint,
                type(error.path("status").asText(""), error.path("code").asInt(500)),
                message(error));
    }

    private static ErrorType type(String status, int code) {
        return switch (status) {
            case "INVALID_ARGUMENT", "FAILED_PRECONDITION", "OUT_OF_RANGE" -> ErrorType.INVALID_REQUEST;
            case "UNAUTHENTICATED" -> ErrorType.AUTHENTICATION;
            case "PERMISSION_DENIED" -> ErrorType.PERMISSION;
            case "NOT_FOUND" -> ErrorType.NOT_FOUND;
            case "RESOURCE_EXHAUSTED" -> ErrorType.RATE_LIMIT;
            case "UNAVAILABLE" -> ErrorType.OVERLOADED;
            case "DEADLINE_EXCEEDED" -> ErrorType.TIMEOUT;
            default -> ErrorType.forStatus(code);
        };
    }

    private static String message(JsonNode error) {
        String message = error.path("message").asText("");
        String status = error.path("status").asText("");
        String text = message.isEmpty() ? error.toString() : message;
        return UpstreamErrors.limit(status.isEmpty() ? text : status + ": " + text);
    }
}
