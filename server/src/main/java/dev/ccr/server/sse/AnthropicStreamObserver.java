package dev.ccr.server.sse;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ccr.server.json.Json;
import java.util.function.Consumer;

/**
 * Watches an Anthropic event stream go by without changing it: whether content has begun, whether it finished properly
 * ({@code message_stop}), whether it carried an {@code error} event (and which), whether a frame was malformed, and
 * the usage it reported. Only the few small events that carry these are parsed as JSON; content deltas are recognised
 * by their event name and checked only for the shape of a JSON object, which is cheap.
 */
public final class AnthropicStreamObserver implements Consumer<SseEvent> {
    private boolean started;
    private boolean content;
    private boolean stopped;
    private boolean errored;
    private String malformed;
    private JsonNode error;
    private long inputTokens;
    private long outputTokens;
    private long cacheReadTokens;
    private long cacheCreationTokens;

    @Override
    public void accept(SseEvent event) {
        String name = event.event();
        if (malformed != null) {
            return;
        }
        if (name == null || !looksLikeObject(event.data())) {
            malformed = name == null
                    ? "a frame without an event name"
                    : "a \"" + name + "\" event whose data is not a JSON object";
            return;
        }
        switch (name) {
            case "message_start" -> {
                started = true;
                readUsage(event.data(), "message");
            }
            case "content_block_start" -> content = true;
            case "message_delta" -> {
                content = true;
                readUsage(event.data(), null);
            }
            case "message_stop" -> {
                content = true;
                stopped = true;
            }
            case "error" -> {
                errored = true;
                error = parse(event.data());
            }
            default -> {}
        }
    }

    /** Braces at both ends: truncated or foreign data (an HTML page, a cut-off line) fails this without a parse. */
    private static boolean looksLikeObject(String data) {
        int start = 0;
        int end = data.length() - 1;
        while (start <= end && Character.isWhitespace(data.charAt(start))) {
            start++;
        }
        while (end > start && Character.isWhitespace(data.charAt(end))) {
            end--;
        }
        return start < end && data.charAt(start) == '{' && data.charAt(end) == '}';
    }

    private static JsonNode parse(String data) {
        try {
            return Json.MAPPER.readTree(data);
        } catch (Exception e) {
            return null;
        }
    }

    private void readUsage(String data, String container) {
        JsonNode root = parse(data);
        if (root == null) {
            return; // a malformed usage event is the client's problem to see; the relay forwards it untouched
        }
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
    }

    /** Whether {@code message_start} arrived. */
    public boolean started() {
        return started;
    }

    /** Whether the answer's content has begun (a block, or the message's end): an error can no longer be retried. */
    public boolean contentStarted() {
        return content;
    }

    /** Whether the stream ended properly with {@code message_stop}. */
    public boolean complete() {
        return stopped;
    }

    /** Whether the upstream sent an {@code error} event. */
    public boolean errored() {
        return errored;
    }

    /** The first {@code error} event's data ({@code {"type":"error","error":{...}}}), or {@code null}. */
    public JsonNode error() {
        return error;
    }

    /** What was wrong with the first malformed frame, or {@code null} while every frame was well formed. */
    public String malformed() {
        return malformed;
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
