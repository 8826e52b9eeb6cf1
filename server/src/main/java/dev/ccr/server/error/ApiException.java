package dev.ccr.server.error;

import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import java.util.Map;

/**
 * The one failure type inside the router. Whatever goes wrong while serving a request ends up as one of these, and
 * {@link ErrorResponses} turns it into the Anthropic error shape at the edge. Messages are shown to the user by Claude
 * Code, so they say what happened and what to do, and never carry a secret.
 */
public final class ApiException extends RuntimeException {
    private final ErrorType type;
    private final int status;
    private final Map<String, String> headers;

    public ApiException(ErrorType type, String message) {
        this(type, type.status(), message, Map.of(), null);
    }

    public ApiException(ErrorType type, String message, Throwable cause) {
        this(type, type.status(), message, Map.of(), cause);
    }

    public ApiException(ErrorType type, int status, String message, Map<String, String> headers, Throwable cause) {
        super(message, cause, false, false);
        this.type = type;
        this.status = status;
        this.headers = Map.copyOf(headers);
    }

    public ErrorType type() {
        return type;
    }

    /** The HTTP status to answer with; usually {@code type().status()}, but an upstream's own status is kept. */
    public int status() {
        return status;
    }

    /** Extra response headers such as {@code retry-after}. */
    public Map<String, String> headers() {
        return headers;
    }

    public static ApiException invalidRequest(String message) {
        return new ApiException(ErrorType.INVALID_REQUEST, message);
    }

    public static ApiException notFound(String message) {
        return new ApiException(ErrorType.NOT_FOUND, message);
    }

    public static ApiException authentication(String message) {
        return new ApiException(ErrorType.AUTHENTICATION, message);
    }

    public static ApiException permission(String message) {
        return new ApiException(ErrorType.PERMISSION, message);
    }

    /** A request body that went past one of the JSON parser's limits: nested too deeply, or a number too long. */
    public static ApiException beyondParserLimits(StreamConstraintsException e) {
        String message = e.getOriginalMessage();
        int hint = message.indexOf(" (adjust using");
        return invalidRequest(
                "the request body is too large to read: " + (hint >= 0 ? message.substring(0, hint) : message));
    }
}
