package dev.ccr.server.proxy;

/**
 * Sends one attempt of a routed request to its endpoint in that endpoint's wire format and relays the answer to the
 * client in Anthropic format. One implementation per format; the {@link Dispatcher} picks by the target's format.
 *
 * <p>Before writing anything to the client, an implementation calls {@link Attempt#commit}; until then it reports
 * every failure with {@link Attempt#failed} (and may throw {@link dev.ccr.server.error.ApiException} synchronously),
 * so that the dispatcher can retry or fail over. After committing it answers the client exactly once, ending a broken
 * stream with an {@code event: error}.
 */
public interface Forwarder {
    void forward(Attempt attempt);

    /** Whether this operation reaches the upstream at all (translated endpoints count tokens locally). */
    default boolean callsUpstream(Operation operation) {
        return true;
    }
}
