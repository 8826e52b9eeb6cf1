package dev.ccr.server.routing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.ccr.server.json.Json;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * claude-code-router's way to choose a subagent's model: {@code <CCR-SUBAGENT-MODEL>endpoint,model</CCR-SUBAGENT-MODEL>}
 * in the subagent's system prompt (its agent file). The router routes by it and removes it before forwarding.
 */
final class SubagentTag {
    static final String OPEN = "<CCR-SUBAGENT-MODEL>";
    static final String CLOSE = "</CCR-SUBAGENT-MODEL>";
    private static final Pattern TAG =
            Pattern.compile(Pattern.quote(OPEN) + "(.*?)" + Pattern.quote(CLOSE), Pattern.DOTALL);
    private static final byte[] OPEN_BYTES = OPEN.getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CLOSE_BYTES = CLOSE.getBytes(StandardCharsets.US_ASCII);

    private SubagentTag() {}

    /**
     * A tag found in a JSON string of the body.
     *
     * @param model the tag's content as {@code endpoint,model}; {@code endpoint/model} is accepted and rewritten
     * @param tokenStart where the JSON string holding the tag starts in the body (its opening quote)
     * @param tokenEnd just after the string's closing quote
     */
    record Found(String model, int tokenStart, int tokenEnd) {
        /**
         * The body without the tag. Claude Code writes it as plain characters, so it is cut out of the bytes and
         * everything else stays as it was; should it come escaped, the string is rewritten instead.
         */
        Buffer remove(Buffer body) {
            byte[] bytes = body.getBytes();
            int open = indexOf(bytes, OPEN_BYTES, tokenStart, tokenEnd);
            int close = open < 0 ? -1 : indexOf(bytes, CLOSE_BYTES, open, tokenEnd);
            if (open >= 0 && close >= 0) {
                int end = close + CLOSE_BYTES.length;
                Buffer out = Buffer.buffer(bytes.length - (end - open));
                out.appendBytes(bytes, 0, open);
                out.appendBytes(bytes, end, bytes.length - end);
                return out;
            }
            return rewritten(body);
        }

        private Buffer rewritten(Buffer body) {
            try {
                ObjectNode tree = (ObjectNode) Json.MAPPER.readTree(body.getBytes());
                JsonNode system = tree.get("system");
                if (system != null && system.isTextual()) {
                    tree.set("system", TextNode.valueOf(strip(system.asText())));
                } else if (system != null) {
                    for (JsonNode block : system) {
                        if (block.path("text").isTextual()
                                && block.path("text").asText().contains(OPEN)) {
                            ((ObjectNode) block)
                                    .put("text", strip(block.path("text").asText()));
                            break;
                        }
                    }
                }
                return Buffer.buffer(Json.writeBytes(tree));
            } catch (java.io.IOException e) {
                throw new IllegalStateException("a body that was parsed once parses again", e);
            }
        }
    }

    /** The tag in this text, if it is complete. */
    static Found find(String text, int tokenStart, int tokenEnd) {
        Matcher matcher = TAG.matcher(text);
        if (!matcher.find()) {
            return null;
        }
        String value = matcher.group(1).strip();
        if (!value.contains(",")) {
            int slash = value.indexOf('/');
            if (slash > 0) {
                value = value.substring(0, slash) + "," + value.substring(slash + 1);
            }
        }
        return new Found(value, tokenStart, tokenEnd);
    }

    static String strip(String text) {
        return TAG.matcher(text).replaceFirst("");
    }

    private static int indexOf(byte[] bytes, byte[] needle, int from, int to) {
        outer:
        for (int i = Math.max(0, from); i <= Math.min(bytes.length, to) - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (bytes[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
