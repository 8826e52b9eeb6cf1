package dev.ccr.protocol.endpoints;

/** The steps of an endpoint test, in order. */
public enum TestStep {
    /** Finding the key: the config file, the test's own key, or the editor. */
    CREDENTIALS,
    /** Connecting and sending the request, until the answer's headers arrive. */
    CONNECT,
    /** Reading the answer's status for what it says about the key. */
    AUTHENTICATE,
    /** Reading the list of models from the answer. */
    LIST_MODELS
}
