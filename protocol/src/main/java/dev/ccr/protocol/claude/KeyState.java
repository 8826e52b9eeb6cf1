package dev.ccr.protocol.claude;

/** Who set a key's current value in the user settings file. */
public enum KeyState {
    /** The router wrote it and it is unchanged. */
    ROUTER,
    /** A value the router did not write: the user's own, or the user's change after enable. */
    USER,
    /** Not set. */
    ABSENT
}
