package dev.ccr.server.sse;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ccr.server.json.Json;
import java.util.function.Consumer;

/**
 * Watches an Anthropic event stream go by without changing it: whether it finished properly ({@code message_stop}),
 * whether it carried an {@code error} event, and the usage it reported. Only the few small events that carry these
 * are parsed as JSON; content deltas are recognised by their event name alone.
 */
public final class AnthropicStreamObserver implements Consumer<SseEvent> {
    private boolean started;
    private boolean stopped;
    private boolean errored;
    private long inputTokens;
    private long outputTokens;
    private long cacheReadTokens;
    private long cacheCreationTokens;

    @Override
    public void accept(SseEvent event) {
        String name = event.event();
        if (name == null) {
            return;
        }
        switch (name) {
            case "message_start" -> {
                started = true;
                readUsage(event.data(), "message");
            }
            case "message_delta" -> readUsage(event.data(), null);
            case "message_stop" -> stopped = true;
            case "error" -> errored = true;
            default -> {}
        }
    }

    private void readUsage(String data, String container) {
        try {
            JsonNode root = Json.MAPPER.readTree(data);
            JsonNode usage = (container == null ? root : root.path(container)).path("usage");
            // message_delta usage is cumulative: later values replace earlier ones.
            if (usage.has("input_tokens")) {
                inputTokens = usage.get("input_tokens").asLong();
            }
            if (usage.has("output_tokens")) {
                outputTokens = usage.get("output_tokens").asLong();
            }
            if (usage.has("cache_read_input_tokens")) {
                cacheReadTokens = usage.get("cache_read_input_tokens").asLong();
            }
            if (usage.has("cache_creation_input_tokens")) {
                cacheCreationTokens = usage.get("cache_creation_input_tokens").asLong();
            }
        } catch (Exception e) {
            // A malformed usage event is the client's problem to see; the relay forwards it untouched.
        }
    }

    /** Whether {@code message_start} arrived. */
    public boolean started() {
        return started;
    }

    /** Whether the stream ended properly with {@code message_stop}. */
    public boolean complete() {
        return stopped;
    }

    /** Whether the upstream sent an {@code error} event. */
    public boolean errored() {
        return errored;
    }

    public long inputTokens() {
        return inputTokens;
    }

    public long outputTokens() {
        return outputTokens;
    }

    public long cacheReadTokens() {
        return cacheReadTokens;
    }

    public long cacheCreationTokens() {
        return cacheCreationTokens;
    }
}
