package dev.ccr.server.cache;

/**
 * A complete, successful answer as the client received it: an Anthropic event stream or a whole message.
 *
 * @param stream whether {@code body} is an event stream ({@code text/event-stream}) rather than a message
 * @param body the bytes sent, keep-alive pings included (a replay drops them)
 * @param endpoint where it came from, for the replay's {@code x-ccr-endpoint} and the request log
 * @param model the upstream model that produced it
 * @param route the route it took
 * @param usage what producing it took: input, output, cache read and cache creation tokens
 */
public record CachedAnswer(boolean stream, byte[] body, String endpoint, String model, String route, long[] usage) {
    /** What an entry weighs against the cache's byte budget: its body and a little bookkeeping. */
    public int weight() {
        return body.length + 256;
    }
}
