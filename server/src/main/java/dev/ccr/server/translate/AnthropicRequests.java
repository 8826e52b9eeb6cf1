package dev.ccr.server.translate;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ccr.server.error.ApiException;
import java.util.ArrayList;
import java.util.List;

/** Reading an Anthropic Messages request the same way in every translator, with the API's own error messages. */
public final class AnthropicRequests {
    private AnthropicRequests() {}

    /** The {@code messages} array, or a 400 saying it is missing. */
    public static JsonNode messages(JsonNode request) {
        JsonNode messages = request.get("messages");
        if (messages == null || !messages.isArray()) {
            throw ApiException.invalidRequest("messages: field required (an array of messages)");
        }
        return messages;
    }

    /** A message's content as a list of blocks; a plain string is one text block. */
    public static List<JsonNode> blocks(JsonNode content, String where) {
        List<JsonNode> blocks = new ArrayList<>();
        if (content == null || content.isNull()) {
            return blocks;
        }
        if (content.isTextual()) {
            // The string node itself, not a copy: it may carry the body's raw bytes (RequestTree.RawText).
            blocks.add(com.fasterxml.jackson.databind.node.JsonNodeFactory.instance
                    .objectNode()
                    .put("type", "text")
                    .set("text", content));
            return blocks;
        }
        if (!content.isArray()) {
            throw ApiException.invalidRequest(where + ".content: expected a string or an array of content blocks");
        }
        content.forEach(blocks::add);
        return blocks;
    }

    /** The text nodes of a block list's text blocks, in order; they are joined with {@link #TEXT_SEPARATOR}. */
    public static List<JsonNode> texts(List<JsonNode> blocks) {
        List<JsonNode> texts = new ArrayList<>(blocks.size());
        for (JsonNode block : blocks) {
            if ("text".equals(block.path("type").asText())) {
                texts.add(block.path("text"));
            }
        }
        return texts;
    }

    /** Between the text blocks of one message or system prompt when a format wants a single string. */
    public static final String TEXT_SEPARATOR = "\n\n";

    /** The stop sequences asked for, for recognising which one ended the answer. */
    public static List<String> stopSequences(JsonNode request) {
        List<String> out = new ArrayList<>();
        request.path("stop_sequences").forEach(s -> out.add(s.asText()));
        return out;
    }

    /** Block types that only Anthropic's own servers can act on; other formats drop them from history. */
    public static boolean anthropicOnly(String type) {
        return switch (type) {
            case "redacted_thinking",
                    "server_tool_use",
                    "web_search_tool_result",
                    "web_fetch_tool_result",
                    "code_execution_tool_result",
                    "bash_code_execution_tool_result",
                    "text_editor_code_execution_tool_result",
                    "mcp_tool_use",
                    "mcp_tool_result",
                    "container_upload",
                    "search_result" -> true;
            default -> false;
        };
    }

    /** A user-facing 400 for a block type a format cannot carry. */
    public static ApiException unsupported(String type, String where, String format) {
        return ApiException.invalidRequest(
                where + ": content blocks of type \"" + type + "\" cannot be sent to " + format + " endpoints");
    }

    /** How hard to think, as low/medium/high, from {@code thinking} and {@code output_config.effort}. */
    public static String effort(JsonNode request) {
        JsonNode thinking = request.path("thinking");
        String type = thinking.path("type").asText();
        if (type.equals("enabled")) {
            long budget = thinking.path("budget_tokens").asLong(0);
            return budget <= 4_096 ? "low" : budget <= 16_384 ? "medium" : "high";
        }
        String effort = request.path("output_config").path("effort").asText("medium");
        return switch (effort) {
            case "low", "medium", "high" -> effort;
            case "max" -> "high";
            default -> "medium";
        };
    }

    /** Whether thinking is on; {@code null} when the request does not say. */
    public static Boolean thinkingOn(JsonNode request) {
        String type = request.path("thinking").path("type").asText(null);
        if (type == null) {
            return null;
        }
        return type.equals("enabled") || type.equals("adaptive");
    }
}
