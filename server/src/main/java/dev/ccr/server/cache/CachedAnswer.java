package dev.ccr.server.cache;

import dev.ccr.server.translate.Usage;

/**
 * A complete, successful answer as the client received it: an Anthropic event stream or a whole message.
 *
 * @param stream whether {@code body} is an event stream ({@code text/event-stream}) rather than a message
 * @param body the bytes sent, keep-alive pings included (a replay drops them)
 * @param endpoint where it came from, for the replay's {@code x-ccr-endpoint} and the request log
 * @param model the upstream model that produced it
 * @param route the route it took
 * @param usage the tokens producing it took, reported again with each replay
 */
public record CachedAnswer(boolean stream, byte[] body, String endpoint, String model, String route, Usage usage) {
    /** What an entry weighs against the cache's byte budget: its body and a little bookkeeping. */
    public int weight() {
        return body.length + 256;
    }
}
