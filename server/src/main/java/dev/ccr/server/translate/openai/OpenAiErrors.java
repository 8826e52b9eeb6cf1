package dev.ccr.server.translate.openai;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ccr.server.config.Endpoint;
import dev.ccr.server.error.ApiException;
import dev.ccr.server.error.ErrorType;
import dev.ccr.server.translate.UpstreamErrors;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;

/**
 * OpenAI-format errors: {@code {"error": {"message", "type", "code"}}}, as an HTTP answer or as a chunk inside a 200
 * stream. Compatible servers vary ({@code error} may be a bare string, the body may be HTML from a proxy), so anything
 * unrecognised is shown as a short snippet.
 */
final class OpenAiErrors {
    private OpenAiErrors() {}

    static ApiException http(Endpoint endpoint, int status, Buffer body, MultiMap headers) {
        JsonNode json = UpstreamErrors.json(body);
        JsonNode error = json == null ? null : json.get("error");
        String detail = error == null ? UpstreamErrors.snippet(body) : message(error);
        return UpstreamErrors.http(endpoint, status, ErrorType.forStatus(status), detail, headers);
    }

    static ApiException inStream(Endpoint endpoint, JsonNode error) {
        String words = error.path("type").asText("") + " " + error.path("code").asText("");
        return UpstreamErrors.inStream(endpoint, UpstreamErrors.typeFromWords(words, ErrorType.API), message(error));
    }

    private static String message(JsonNode error) {
        if (error.isTextual()) {
            return UpstreamErrors.limit(error.asText());
        }
        String message = error.path("message").asText("");
        return UpstreamErrors.limit(message.isEmpty() ? error.toString() : message);
    }
}
