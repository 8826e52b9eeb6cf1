package dev.ccr.protocol.endpoints;

/** What an endpoint test learnt about the API key. */
public enum AuthCheck {
    /** The endpoint answered a request carrying the key with success. */
    ACCEPTED,
    /** The endpoint answered 401 or 403: the key is wrong, expired or lacks permission. */
    REJECTED,
    /**
     * No key to check: an Anthropic endpoint without a key of its own forwards each client's key, so only reachability
     * was tested.
     */
    NOT_CHECKED,
    /** The answer says nothing about the key (unreachable, 404, 5xx). */
    UNKNOWN
}
