package dev.ccr.server.error;

/**
 * What went wrong with one upstream attempt, and the one place that says what follows from it: whether another try
 * may succeed, whether it speaks against the endpoint's health (its circuit breaker), and whether it is only "not now"
 * (docs/RESILIENCE.md: busy is not broken).
 */
public enum Fault {
    /** The connection was refused or the host name did not resolve: the request certainly never left the router. */
    NOT_CONNECTED(true, true),
    /** No answer, and the request may have reached the upstream: TLS failure, connect timeout, a closed connection. */
    UNREACHABLE(true, true),
    /** The upstream did not answer, start answering, or go on answering in time. */
    TIMEOUT(true, true),
    /** The answer broke off, or was not what its format promises. */
    BROKEN(true, true),
    /** A server error: 5xx other than 529, 408, or an {@code api_error} / {@code timeout_error} event. */
    SERVER_ERROR(true, true),
    /** "Not now": rate limited (429, {@code rate_limit_error}) or overloaded (529, {@code overloaded_error}). */
    BUSY(true, false),
    /** 409: a conflict Claude Code retries by itself; the endpoint is fine. */
    CONFLICT(true, false),
    /** Any other 4xx: the request's own fault, answered at once. */
    REJECTED(false, false),
    /** The router could not even send the request (no usable key, a request the format cannot express). */
    LOCAL(false, false);

    private final boolean retryable;
    private final boolean endpointFault;

    Fault(boolean retryable, boolean endpointFault) {
        this.retryable = retryable;
        this.endpointFault = endpointFault;
    }

    /** Whether another attempt may succeed. */
    public boolean retryable() {
        return retryable;
    }

    /** Whether it counts against the endpoint's circuit breaker. */
    public boolean endpointFault() {
        return endpointFault;
    }

    public boolean busy() {
        return this == BUSY;
    }

    /** The fault an upstream's error status (with the error type its body named) stands for. */
    public static Fault ofStatus(int status, ErrorType type) {
        if (status == 429 || status == 529 || type == ErrorType.RATE_LIMIT || type == ErrorType.OVERLOADED) {
            return BUSY;
        }
        if (status >= 500 || status == 408) {
            return SERVER_ERROR;
        }
        return status == 409 ? CONFLICT : REJECTED;
    }

    /** The fault an {@code event: error} of this type stands for. */
    public static Fault ofEvent(ErrorType type) {
        return ofStatus(type.status(), type);
    }

    /**
     * The statuses a client may retry — what Claude Code itself retries (408, 409, 429, 5xx including 529) — and what
     * the router's own errors say in {@code x-should-retry}.
     */
    public static boolean retryableStatus(int status) {
        return ofStatus(status, null).retryable();
    }
}
