package dev.ccr.server.translate;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ccr.server.error.ApiException;

/**
 * The scalar fields of a Messages request that translators copy into another format, checked the way Anthropic
 * checks them before anything is sent: a value that is not what the field takes gets a 400 naming the field, in
 * Anthropic's words, instead of changing on the way ({@code 1e999} turning into {@code 9223372036854775807}, a string
 * {@code "50"} silently dropped). {@code null} counts as absent. Anthropic endpoints get the client's bytes and check
 * them there.
 */
public final class RequestFields {
    private RequestFields() {}

    /** Throws a 400 for the first field that Anthropic's API would refuse for its type or range. */
    public static void check(JsonNode request) {
        positiveInteger(request.get("max_tokens"), "max_tokens");
        finiteNumber(request.get("temperature"), "temperature");
        finiteNumber(request.get("top_p"), "top_p");
        JsonNode topK = request.get("top_k");
        if (present(topK)) {
            integer(topK, "top_k", 0);
        }
        JsonNode thinking = request.get("thinking");
        if (present(thinking) && thinking.isObject()) {
            positiveInteger(thinking.get("budget_tokens"), "thinking.budget_tokens");
        }
        JsonNode stops = request.get("stop_sequences");
        if (present(stops)) {
            if (!stops.isArray()) {
                throw ApiException.invalidRequest("stop_sequences: Input should be a valid list");
            }
            for (int i = 0; i < stops.size(); i++) {
                if (!stops.get(i).isTextual()) {
                    throw ApiException.invalidRequest("stop_sequences." + i + ": Input should be a valid string");
                }
            }
        }
    }

    private static boolean present(JsonNode value) {
        return value != null && !value.isNull();
    }

    private static void positiveInteger(JsonNode value, String field) {
        if (present(value)) {
            integer(value, field, 1);
        }
    }

    /** A whole number in {@code [min, 2^31-1]}: what every upstream's integer fields take. */
    private static void integer(JsonNode value, String field, int min) {
        if (!value.isIntegralNumber()) {
            throw ApiException.invalidRequest(field + ": Input should be a valid integer");
        }
        if (!value.canConvertToInt()) {
            throw ApiException.invalidRequest(
                    value.bigIntegerValue().signum() < 0
                            ? field + ": Input should be greater than or equal to " + min
                            : field + ": Input should be less than or equal to " + Integer.MAX_VALUE);
        }
        if (value.intValue() < min) {
            throw ApiException.invalidRequest(field + ": Input should be greater than or equal to " + min);
        }
    }

    private static void finiteNumber(JsonNode value, String field) {
        if (!present(value)) {
            return;
        }
        if (!value.isNumber()) {
            throw ApiException.invalidRequest(field + ": Input should be a valid number");
        }
        if (!Double.isFinite(value.doubleValue())) {
            throw ApiException.invalidRequest(field + ": Input should be a finite number");
        }
    }
}
