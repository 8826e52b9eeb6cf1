package dev.ccr.server.testing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ccr.server.json.Json;
import dev.ccr.server.sse.SseEvent;
import dev.ccr.server.sse.SseParser;
import java.util.ArrayList;
import java.util.List;

/**
 * What a client made of an Anthropic event stream: a complete message (events in a valid order, ending with {@code
 * message_stop}), an error (ending with an {@code error} event), or neither: a silent truncation, which must never
 * happen. Checks what the SDK checks: an {@code event:} line on every frame, JSON data whose type is the event's name.
 */
public record StreamCheck(Outcome outcome, String text, String errorType, String errorMessage, List<String> events) {
    public enum Outcome {
        COMPLETE,
        ERROR,
        TRUNCATED
    }

    public static StreamCheck of(String body) {
        List<SseEvent> events = new ArrayList<>();
        new SseParser(events::add).feed(body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        List<String> names = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        int open = -1;
        boolean started = false;
        for (SseEvent event : events) {
            names.add(event.event());
            JsonNode data;
            try {
                data = Json.MAPPER.readTree(event.data());
            } catch (Exception e) {
                throw new AssertionError("a frame with data that is not JSON: " + event);
            }
            if (event.event() == null || !event.event().equals(data.path("type").asText())) {
                throw new AssertionError("a frame whose event name and type differ: " + event);
            }
            switch (event.event()) {
                case "message_start" -> {
                    if (started) {
                        throw new AssertionError("two message_start events");
                    }
                    started = true;
                }
                case "content_block_start" -> {
                    require(started && open < 0, "a block starts while another is open or before message_start");
                    open = data.path("index").asInt();
                }
                case "content_block_delta" -> {
                    require(open == data.path("index").asInt(), "a delta outside its block");
                    text.append(data.path("delta").path("text").asText(""));
                }
                case "content_block_stop" -> {
                    require(open == data.path("index").asInt(), "a stop for a block that is not open");
                    open = -1;
                }
                case "message_delta" -> require(started && open < 0, "message_delta with a block open");
                case "message_stop" -> {
                    require(event == events.get(events.size() - 1), "events after message_stop");
                    return new StreamCheck(Outcome.COMPLETE, text.toString(), null, null, names);
                }
                case "error" -> {
                    require(event == events.get(events.size() - 1), "events after an error");
                    return new StreamCheck(
                            Outcome.ERROR,
                            text.toString(),
                            data.path("error").path("type").asText(),
                            data.path("error").path("message").asText(),
                            names);
                }
                case "ping" -> {}
                default -> throw new AssertionError("an unknown event: " + event);
            }
        }
        return new StreamCheck(Outcome.TRUNCATED, text.toString(), null, null, names);
    }

    private static void require(boolean condition, String what) {
        if (!condition) {
            throw new AssertionError(what);
        }
    }
}
