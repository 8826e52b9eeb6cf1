package dev.ccr.protocol.status;

/** An endpoint's health, from the latest request or test that reached it. */
public enum EndpointHealth {
    /** Nothing has been sent to it yet. */
    UNKNOWN,
    /** The latest request or test got an answer that was not a server-side failure. */
    HEALTHY,
    /** The latest request or test failed: no connection, a timeout, a 5xx, an overload or a rejected key. */
    FAILING
}
