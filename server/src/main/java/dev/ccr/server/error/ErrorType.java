package dev.ccr.server.error;

/**
 * The error types of the Anthropic Messages API, each with the HTTP status Claude Code expects for it. Claude Code
 * decides how to present a failure (and whether to retry) from the status, so the pairing matters.
 */
public enum ErrorType {
    INVALID_REQUEST("invalid_request_error", 400),
    AUTHENTICATION("authentication_error", 401),
    PERMISSION("permission_error", 403),
    NOT_FOUND("not_found_error", 404),
    REQUEST_TOO_LARGE("request_too_large", 413),
    RATE_LIMIT("rate_limit_error", 429),
    API("api_error", 500),
    BAD_GATEWAY("api_error", 502),
    TIMEOUT("timeout_error", 504),
    OVERLOADED("overloaded_error", 529);

    private final String wireName;
    private final int status;

    ErrorType(String wireName, int status) {
        this.wireName = wireName;
        this.status = status;
    }

    /** The {@code error.type} value on the wire. */
    public String wireName() {
        return wireName;
    }

    /** The HTTP status that goes with this type. */
    public int status() {
        return status;
    }

    /**
     * The type an error body names ({@code error.type}), preferring the one that goes with {@code status} where a name
     * has two ({@code api_error}); an unknown name falls back to the status.
     */
    public static ErrorType byWireName(String wireName, int status) {
        ErrorType named = null;
        for (ErrorType type : values()) {
            if (type.wireName.equals(wireName)) {
                if (type.status == status) {
                    return type;
                }
                if (named == null) {
                    named = type;
                }
            }
        }
        return named != null ? named : forStatus(status);
    }

    /** The type Anthropic uses for an HTTP status, for errors whose body did not say. */
    public static ErrorType forStatus(int status) {
        return switch (status) {
            case 400, 422 -> INVALID_REQUEST;
            case 401 -> AUTHENTICATION;
            case 403 -> PERMISSION;
            case 404 -> NOT_FOUND;
            case 413 -> REQUEST_TOO_LARGE;
            case 429 -> RATE_LIMIT;
            case 502, 503 -> BAD_GATEWAY;
            case 408, 504 -> TIMEOUT;
            case 529 -> OVERLOADED;
            default -> status >= 500 ? API : INVALID_REQUEST;
        };
    }
}
