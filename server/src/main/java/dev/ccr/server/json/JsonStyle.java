package dev.ccr.server.json;

import java.util.Optional;

/**
 * How a JSON file is laid out, so that text added to it looks as if its author had written it: the indentation step,
 * the line separator and the spacing around a member's colon.
 *
 * @param indentUnit one level of indentation, such as two spaces or a tab
 * @param newline {@code \n} or {@code \r\n}
 * @param colon what separates a member's name from its value, such as {@code ": "}
 */
public record JsonStyle(String indentUnit, String newline, String colon) {
    /** What {@code JSON.stringify(value, null, 2)} writes, and so what Claude Code writes. */
    public static final JsonStyle DEFAULT = new JsonStyle("  ", "\n", ": ");

    /** The style of existing text; defaults for whatever the text does not show. */
    public static JsonStyle of(String text, Optional<JsonText.Value> root) {
        String newline = text.contains("\r\n") ? "\r\n" : "\n";
        String unit = root.map(r -> indentUnit(text, r)).orElse(null);
        String colon = root.map(r -> colon(text, r)).orElse(null);
        return new JsonStyle(
                unit == null ? DEFAULT.indentUnit() : unit, newline, colon == null ? DEFAULT.colon() : colon);
    }

    /** The indentation a member on its own line has beyond its object's line. */
    private static String indentUnit(String text, JsonText.Value value) {
        if (value instanceof JsonText.ObjectValue object && !object.members().isEmpty()) {
            JsonText.Member first = object.members().get(0);
            String gap = text.substring(object.start() + 1, first.nameStart());
            if (gap.contains("\n")) {
                String inner = gap.substring(gap.lastIndexOf('\n') + 1);
                String outer = JsonTextEditor.lineIndent(text, object.start());
                if (inner.startsWith(outer) && inner.length() > outer.length() && inner.isBlank()) {
                    return inner.substring(outer.length());
                }
            }
            for (JsonText.Member member : object.members()) {
                String nested = indentUnit(text, member.value());
                if (nested != null) {
                    return nested;
                }
            }
        } else if (value instanceof JsonText.ArrayValue array) {
            for (JsonText.Value element : array.elements()) {
                String nested = indentUnit(text, element);
                if (nested != null) {
                    return nested;
                }
            }
        }
        return null;
    }

    private static String colon(String text, JsonText.Value value) {
        if (value instanceof JsonText.ObjectValue object && !object.members().isEmpty()) {
            JsonText.Member first = object.members().get(0);
            String colon = text.substring(first.nameEnd(), first.value().start());
            return colon.contains("\n") || colon.contains("\r") ? null : colon;
        }
        return null;
    }
}
