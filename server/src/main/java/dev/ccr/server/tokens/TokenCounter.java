package dev.ccr.server.tokens;

import com.fasterxml.jackson.databind.JsonNode;
import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import dev.ccr.server.json.Json;

/**
 * Counts the input tokens of an Anthropic Messages request locally, for upstreams that cannot: {@code count_tokens}
 * on translated endpoints (Claude Code falls back to paid {@code max_tokens: 1} calls when it gets a 404) and the
 * {@code message_start} of streams whose upstream reports usage only at the end.
 *
 * <p>Claude's tokenizer is not public. This uses OpenAI's {@code o200k_base} through jtokkit, plus Anthropic's
 * published per-image cost, and a small framing cost per message and tool. The result is an estimate; docs/TOKENS.md
 * says how far off it is known to be.
 */
public final class TokenCounter {
    /** Anthropic: tokens ≈ width × height / 750, capped near 1,600 for images that fit its 1.15-megapixel limit. */
    public static final int TOKENS_PER_IMAGE = 1_600;
    /** PDF pages cost text plus an image each; a page is counted as an image. */
    public static final int TOKENS_PER_DOCUMENT = 3 * TOKENS_PER_IMAGE;
    /** Role markers and separators around each message. */
    static final int TOKENS_PER_MESSAGE = 4;
    /** Framing of each tool definition. */
    static final int TOKENS_PER_TOOL = 8;

    private static final Encoding ENCODING = Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.O200K_BASE);

    private TokenCounter() {}

    /** The estimated input tokens of a request ({@code system}, {@code messages}, {@code tools}). */
    public static long count(JsonNode request) {
        Tally tally = new Tally();
        content(request.get("system"), tally);
        for (JsonNode message : request.path("messages")) {
            tally.tokens += TOKENS_PER_MESSAGE;
            content(message.get("content"), tally);
        }
        for (JsonNode tool : request.path("tools")) {
            tally.tokens += TOKENS_PER_TOOL;
            tally.text(tool.path("name").asText(""));
            tally.text(tool.path("description").asText(""));
            JsonNode schema = tool.get("input_schema");
            if (schema != null) {
                tally.text(Json.write(schema));
            }
        }
        return tally.total();
    }

    /** Text of one message's content, at any depth (tool results nest blocks). */
    private static void content(JsonNode content, Tally tally) {
        if (content == null || content.isNull()) {
            return;
        }
        if (content.isTextual()) {
            tally.text(content.asText());
            return;
        }
        for (JsonNode block : content) {
            switch (block.path("type").asText()) {
                case "text" -> tally.text(block.path("text").asText(""));
                case "thinking" -> tally.text(block.path("thinking").asText(""));
                case "image" -> tally.tokens += TOKENS_PER_IMAGE;
                case "document" -> {
                    JsonNode source = block.path("source");
                    if (source.path("type").asText().equals("text")) {
                        tally.text(source.path("data").asText(""));
                    } else {
                        tally.tokens += TOKENS_PER_DOCUMENT;
                    }
                }
                case "tool_use" -> {
                    tally.text(block.path("name").asText(""));
                    JsonNode input = block.get("input");
                    if (input != null) {
                        tally.text(Json.write(input));
                    }
                }
                case "tool_result" -> content(block.get("content"), tally);
                default -> {}
            }
        }
    }

    /** Text is gathered and encoded in one call: one pass of the tokenizer instead of thousands of small ones. */
    private static final class Tally {
        final StringBuilder text = new StringBuilder(4096);
        long tokens;

        void text(String value) {
            if (!value.isEmpty()) {
                text.append(value).append('\n');
            }
        }

        long total() {
            return tokens + ENCODING.countTokensOrdinary(text.toString());
        }
    }
}
