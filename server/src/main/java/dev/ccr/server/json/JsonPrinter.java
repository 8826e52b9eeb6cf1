package dev.ccr.server.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Map;

/**
 * Writes a JSON tree as {@code JSON.stringify(value, null, indent)} does (one member or element per line, {@code {}} and
 * {@code []} when empty), in a file's own {@link JsonStyle}, starting at a given indentation so the text can be put in
 * the middle of a file.
 */
public final class JsonPrinter {
    private JsonPrinter() {}

    /**
     * The text of {@code value}.
     *
     * @param indent the indentation of the line the value starts on; continuation lines are indented from it
     */
    public static String print(JsonNode value, JsonStyle style, String indent) {
        StringBuilder out = new StringBuilder();
        write(value, style, indent, out);
        return out.toString();
    }

    /** A JSON string literal, escaped as JSON requires. */
    public static String quote(String text) {
        try {
            return Json.MAPPER.writeValueAsString(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a string always serialises", e);
        }
    }

    private static void write(JsonNode value, JsonStyle style, String indent, StringBuilder out) {
        if (value.isObject()) {
            if (value.isEmpty()) {
                out.append("{}");
                return;
            }
            String inner = indent + style.indentUnit();
            out.append('{');
            Iterator<Map.Entry<String, JsonNode>> fields = value.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                out.append(style.newline())
                        .append(inner)
                        .append(quote(field.getKey()))
                        .append(style.colon());
                write(field.getValue(), style, inner, out);
                if (fields.hasNext()) {
                    out.append(',');
                }
            }
            out.append(style.newline()).append(indent).append('}');
        } else if (value.isArray()) {
            if (value.isEmpty()) {
                out.append("[]");
                return;
            }
            String inner = indent + style.indentUnit();
            out.append('[');
            for (int i = 0; i < value.size(); i++) {
                out.append(style.newline()).append(inner);
                write(value.get(i), style, inner, out);
                if (i < value.size() - 1) {
                    out.append(',');
                }
            }
            out.append(style.newline()).append(indent).append(']');
        } else if (value.isTextual()) {
            out.append(quote(value.asText()));
        } else {
            out.append(value.toString()); // numbers, booleans, null
        }
    }
}
