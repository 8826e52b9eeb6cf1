package dev.ccr.server.translate;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ccr.server.config.Endpoint;
import dev.ccr.server.error.ApiException;
import dev.ccr.server.error.ErrorType;
import dev.ccr.server.json.Json;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** Turns upstream failures, in whatever shape they come, into the Anthropic error the client understands. */
public final class UpstreamErrors {
    /** Headers that tell Claude Code when to retry; relayed so its own retries cooperate (docs/RESILIENCE.md). */
    private static final String[] RETRY_HEADERS = {"retry-after", "retry-after-ms"};

    private static final int MAX_MESSAGE = 1_000;

    private UpstreamErrors() {}

    /** A failure answered with an HTTP status; keeps the upstream's status so Claude Code reacts as to Anthropic. */
    public static ApiException http(Endpoint endpoint, int status, ErrorType type, String detail, MultiMap headers) {
        Map<String, String> relayed = new LinkedHashMap<>();
        for (String name : RETRY_HEADERS) {
            String value = headers == null ? null : headers.get(name);
            if (value != null) {
                relayed.put(name, value);
            }
        }
        return new ApiException(
                type,
                status,
                "endpoint \"" + endpoint.name() + "\" answered HTTP " + status + ": " + detail,
                relayed,
                null);
    }

    /** An error the upstream reported inside a stream that had started with 200. */
    public static ApiException inStream(Endpoint endpoint, ErrorType type, String detail) {
        return new ApiException(type, "endpoint \"" + endpoint.name() + "\" reported an error mid-stream: " + detail);
    }

    /** A stream event or answer that is not the JSON the format promises. */
    public static ApiException malformed(Endpoint endpoint, String what) {
        return new ApiException(ErrorType.API, 502, "endpoint \"" + endpoint.name() + "\" " + what, Map.of(), null);
    }

    /** Parses an error body, or returns {@code null} when it is not JSON. */
    public static JsonNode json(Buffer body) {
        try {
            return Json.MAPPER.readTree(body.getBytes());
        } catch (Exception e) {
            return null;
        }
    }

    /** A short single-line rendering of a body that is not in any known error shape. */
    public static String snippet(Buffer body) {
        String text = body.toString().strip().replaceAll("\\s+", " ");
        return text.isEmpty() ? "(empty body)" : limit(text);
    }

    public static String limit(String message) {
        return message.length() > MAX_MESSAGE ? message.substring(0, MAX_MESSAGE) + "…" : message;
    }

    /** The error type an error's own words suggest (OpenAI-style {@code type}/{@code code} values). */
    public static ErrorType typeFromWords(String words, ErrorType fallback) {
        String w = words == null ? "" : words.toLowerCase(Locale.ROOT);
        if (w.contains("rate") || w.contains("quota") || w.contains("exhausted") || w.contains("too_many")) {
            return ErrorType.RATE_LIMIT;
        }
        if (w.contains("overload") || w.contains("unavailable") || w.contains("capacity")) {
            return ErrorType.OVERLOADED;
        }
        if (w.contains("timeout") || w.contains("deadline")) {
            return ErrorType.TIMEOUT;
        }
        if (w.contains("auth") || w.contains("api_key") || w.contains("unauthenticated")) {
            return ErrorType.AUTHENTICATION;
        }
        if (w.contains("permission")) {
            return ErrorType.PERMISSION;
        }
        if (w.contains("not_found")) {
            return ErrorType.NOT_FOUND;
        }
        if (w.contains("invalid") || w.contains("context_length") || w.contains("bad_request")) {
            return ErrorType.INVALID_REQUEST;
        }
        return fallback;
    }
}
