package dev.ccr.server.translate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ccr.server.json.Json;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds a whole Anthropic message from the events a translator emits, for clients that did not ask for a stream.
 * Tool input arrives as JSON text in pieces and is parsed once the block stops.
 */
public final class MessageAssembler implements AnthropicEvents {
    private final ObjectNode message = Json.object();
    private final List<StringBuilder> texts = new ArrayList<>();
    private final List<ObjectNode> blocks = new ArrayList<>();
    private Usage usage = Usage.NONE;

    @Override
    public void messageStart(String messageId, String model, Usage startUsage) {
        message.put("id", messageId);
        message.put("type", "message");
        message.put("role", "assistant");
        message.put("model", model);
        message.putArray("content");
        usage = startUsage;
    }

    @Override
    public void blockStart(int index, BlockType type, String id, String name) {
        ObjectNode block = Json.object();
        switch (type) {
            case TEXT -> block.put("type", "text");
            case THINKING -> block.put("type", "thinking").put("signature", "");
            case TOOL_USE -> block.put("type", "tool_use").put("id", id).put("name", name);
        }
        blocks.add(block);
        texts.add(new StringBuilder());
    }

    @Override
    public void textDelta(int index, String text) {
        texts.get(index).append(text);
    }

    @Override
    public void thinkingDelta(int index, String thinking) {
        texts.get(index).append(thinking);
    }

    @Override
    public void signatureDelta(int index, String signature) {
        ObjectNode block = blocks.get(index);
        block.put("signature", block.path("signature").asText() + signature);
    }

    @Override
    public void inputJsonDelta(int index, String partialJson) {
        texts.get(index).append(partialJson);
    }

    @Override
    public void blockStop(int index) {
        ObjectNode block = blocks.get(index);
        String text = texts.get(index).toString();
        switch (block.get("type").asText()) {
            case "text" -> block.put("text", text);
            case "thinking" -> {
                // Anthropic's order: type, thinking, signature.
                String signature = block.remove("signature").asText();
                block.put("thinking", text).put("signature", signature);
            }
            default -> block.set("input", toolInput(text));
        }
        ((ArrayNode) message.get("content")).add(block);
    }

    @Override
    public void messageDelta(String stopReason, String stopSequence, Usage finalUsage) {
        message.put("stop_reason", stopReason);
        message.put("stop_sequence", stopSequence);
        usage = finalUsage;
    }

    @Override
    public void messageStop() {
        ObjectNode out = message.putObject("usage");
        out.put("input_tokens", usage.input());
        out.put("cache_creation_input_tokens", usage.cacheCreation());
        out.put("cache_read_input_tokens", usage.cacheRead());
        out.put("output_tokens", usage.output());
    }

    /** The finished message. */
    public ObjectNode message() {
        return message;
    }

    /**
     * A tool's arguments as an object. An upstream cut off by its token limit can leave them unfinished; the call is
     * still reported (with what could not be parsed kept verbatim) so the client sees what the model attempted.
     */
    private static JsonNode toolInput(String json) {
        if (json.isBlank()) {
            return Json.object();
        }
        try {
            JsonNode parsed = Json.MAPPER.readTree(json);
            if (parsed != null && parsed.isObject()) {
                return parsed;
            }
        } catch (JsonProcessingException e) {
            // fall through
        }
        return Json.object().put("_unparsed_arguments", json);
    }
}
