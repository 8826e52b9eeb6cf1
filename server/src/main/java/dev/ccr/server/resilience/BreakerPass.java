package dev.ccr.server.resilience;

/**
 * Leave to send one request to an endpoint; its outcome is reported exactly once (later reports are ignored). A
 * probe's outcome decides whether a half-open circuit closes or opens again.
 */
public non-sealed interface BreakerPass extends BreakerAdmission {
    /** The endpoint answered properly. */
    void succeeded();

    /** The endpoint failed in a way that speaks against its health; {@code reason} is shown to users. */
    void failed(String reason);

    /** The outcome says nothing about the endpoint (the client left, the request itself was bad). */
    void abandoned();
}
