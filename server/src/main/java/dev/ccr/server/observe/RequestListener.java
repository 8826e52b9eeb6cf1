package dev.ccr.server.observe;

/**
 * Told about each finished request, on the event loop that served it: implementations must not block (hand slow work
 * such as disk writes to their own thread) and must not throw.
 */
@FunctionalInterface
public interface RequestListener {
    /** A request arrived; {@link #completed} follows exactly once for each. */
    default void started() {}

    void completed(RequestRecord record);
}
