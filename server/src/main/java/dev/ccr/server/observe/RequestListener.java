package dev.ccr.server.observe;

/**
 * Told about each finished request, on the event loop that served it: implementations must not block (hand slow work
 * such as disk writes to their own thread) and must not throw.
 */
@FunctionalInterface
public interface RequestListener {
    void completed(RequestRecord record);
}
