package dev.ccr.server.cache;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ccr.server.json.Json;
import dev.ccr.server.sse.SseEvent;
import dev.ccr.server.sse.SseParser;
import dev.ccr.server.translate.AnthropicEvents;
import dev.ccr.server.translate.AnthropicEvents.BlockType;
import dev.ccr.server.translate.Ids;
import dev.ccr.server.translate.MessageAssembler;
import dev.ccr.server.translate.SseEvents;
import dev.ccr.server.translate.Usage;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Renders a cached answer for a new request, as a stream or as a whole message whichever way it was stored, with a
 * fresh message id (a replay is a new message to the client; Claude Code keys its transcript by message id).
 *
 * <p>A replayed stream is a valid event sequence: the stored frames in order, {@code message_start} with the new id,
 * pings dropped. Converting between the two forms covers text, thinking (with signatures) and tool use, the blocks
 * Claude Code's answers are made of; an answer with other blocks is only replayed in the form it was stored in.
 */
public final class CacheReplay {
    private CacheReplay() {}

    /** The body to send, or {@code null} when the answer cannot be given in the form asked for. */
    public static Buffer render(CachedAnswer answer, boolean stream) {
        try {
            if (answer.stream()) {
                List<SseEvent> events = events(answer.body());
                return stream ? restream(events) : assemble(events);
            }
            ObjectNode message = (ObjectNode) Json.MAPPER.readTree(answer.body());
            message.put("id", Ids.message());
            return stream ? stream(message) : Buffer.buffer(Json.writeBytes(message));
        } catch (Exception unusable) {
            return null;
        }
    }

    private static List<SseEvent> events(byte[] body) {
        List<SseEvent> events = new ArrayList<>();
        new SseParser(events::add).feed(body);
        return events;
    }

    private static Buffer restream(List<SseEvent> events) throws Exception {
        SseEvents out = new SseEvents();
        for (SseEvent event : events) {
            if ("ping".equals(event.event())) {
                continue;
            }
            String data = event.data();
            if ("message_start".equals(event.event())) {
                ObjectNode start = (ObjectNode) Json.MAPPER.readTree(data);
                ((ObjectNode) start.path("message")).put("id", Ids.message());
                data = Json.write(start);
            }
            out.frame(event.event(), data);
        }
        return out.drain();
    }

    /** A stored stream as one message. */
    private static Buffer assemble(List<SseEvent> events) throws Exception {
        MessageAssembler message = new MessageAssembler();
        for (SseEvent event : events) {
            replay(event, message);
        }
        return Buffer.buffer(Json.writeBytes(message.message()));
    }

    /** One Anthropic stream event as the call that makes it. */
    private static void replay(SseEvent event, AnthropicEvents out) throws Exception {
        if (event.event() == null || event.event().equals("ping")) {
            return;
        }
        JsonNode data = Json.MAPPER.readTree(event.data());
        switch (event.event()) {
            case "message_start" -> {
                JsonNode message = data.path("message");
                out.messageStart(Ids.message(), message.path("model").asText(), Usage.of(message.path("usage")));
            }
            case "content_block_start" -> {
                JsonNode block = data.path("content_block");
                out.blockStart(
                        data.path("index").asInt(),
                        blockType(block.path("type").asText()),
                        block.path("id").asText(null),
                        block.path("name").asText(null));
            }
            case "content_block_delta" -> {
                int index = data.path("index").asInt();
                JsonNode delta = data.path("delta");
                switch (delta.path("type").asText()) {
                    case "text_delta" -> out.textDelta(index, delta.path("text").asText());
                    case "thinking_delta" ->
                        out.thinkingDelta(index, delta.path("thinking").asText());
                    case "signature_delta" ->
                        out.signatureDelta(index, delta.path("signature").asText());
                    case "input_json_delta" ->
                        out.inputJsonDelta(index, delta.path("partial_json").asText());
                    default ->
                        throw new IllegalArgumentException(
                                "delta " + delta.path("type").asText());
                }
            }
            case "content_block_stop" -> out.blockStop(data.path("index").asInt());
            case "message_delta" -> {
                JsonNode delta = data.path("delta");
                out.messageDelta(
                        delta.path("stop_reason").asText(null),
                        delta.path("stop_sequence").asText(null),
                        Usage.of(data.path("usage")));
            }
            case "message_stop" -> out.messageStop();
            default -> throw new IllegalArgumentException("event " + event.event());
        }
    }

    /** A stored message as the events that stream it: each block whole in one delta. */
    private static Buffer stream(ObjectNode message) {
        SseEvents out = new SseEvents();
        Usage usage = Usage.of(message.path("usage"));
        out.messageStart(
                message.path("id").asText(),
                message.path("model").asText(),
                new Usage(usage.input(), 1, usage.cacheRead(), usage.cacheCreation()));
        int index = 0;
        for (JsonNode block : message.path("content")) {
            BlockType type = blockType(block.path("type").asText());
            switch (type) {
                case TEXT -> {
                    out.blockStart(index, type, null, null);
                    out.textDelta(index, block.path("text").asText());
                }
                case THINKING -> {
                    out.blockStart(index, type, null, null);
                    out.thinkingDelta(index, block.path("thinking").asText());
                    out.signatureDelta(index, block.path("signature").asText());
                }
                case TOOL_USE -> {
                    out.blockStart(
                            index,
                            type,
                            block.path("id").asText(),
                            block.path("name").asText());
                    out.inputJsonDelta(index, Json.write(block.path("input")));
                }
            }
            out.blockStop(index++);
        }
        out.messageDelta(
                message.path("stop_reason").asText(null),
                message.path("stop_sequence").asText(null),
                usage);
        out.messageStop();
        return out.drain();
    }

    private static BlockType blockType(String type) {
        return switch (type) {
            case "text" -> BlockType.TEXT;
            case "thinking" -> BlockType.THINKING;
            case "tool_use" -> BlockType.TOOL_USE;
            default -> throw new IllegalArgumentException("block " + type);
        };
    }
}
