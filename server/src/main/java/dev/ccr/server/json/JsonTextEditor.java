package dev.ccr.server.json;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Edits JSON text the way a careful person would by hand: each change touches only the value it is about, and every
 * other character (formatting, key order, escapes, number spelling) stays exactly as it was. Added members and elements
 * copy the layout of their neighbours, and removing one that was added gives back the original text.
 *
 * <p>Paths address values from the root: a {@link String} selects an object member (the last of that name, as
 * {@code JSON.parse} does), an {@link Integer} an array element.
 */
public final class JsonTextEditor {
    private String text;
    private Optional<JsonText.Value> root;
    private final JsonStyle style;

    public JsonTextEditor(String text) throws JsonText.SyntaxException {
        this.text = text;
        this.root = JsonText.parse(text);
        this.style = JsonStyle.of(text, root);
    }

    public String text() {
        return text;
    }

    public Optional<JsonText.Value> root() {
        return root;
    }

    /** The exact source text of a value. */
    public String source(JsonText.Value value) {
        return text.substring(value.start(), value.end());
    }

    /** The value at a path, if there is one. */
    public Optional<JsonText.Value> at(List<?> path) {
        Optional<JsonText.Value> current = root;
        for (Object step : path) {
            if (current.isEmpty()) {
                return current;
            }
            JsonText.Value value = current.get();
            if (step instanceof String name && value instanceof JsonText.ObjectValue object) {
                current = object.member(name).map(JsonText.Member::value);
            } else if (step instanceof Integer index
                    && value instanceof JsonText.ArrayValue array
                    && index >= 0
                    && index < array.elements().size()) {
                current = Optional.of(array.elements().get(index));
            } else {
                return Optional.empty();
            }
        }
        return current;
    }

    /** Makes a blank document an empty object, keeping a byte order mark. */
    public void ensureRootObject() {
        if (root.isEmpty()) {
            setText((text.startsWith("\uFEFF") ? "\uFEFF" : "") + "{}" + style.newline());
        }
    }

    /** Sets a member of the object at {@code objectPath}: replaces its value, or adds it after the last member. */
    public void put(List<?> objectPath, String name, JsonNode value) {
        putWith(objectPath, name, indent -> JsonPrinter.print(value, style, indent));
    }

    /** As {@link #put(List, String, JsonNode)}, with the value's text given verbatim. */
    public void putRaw(List<?> objectPath, String name, String rawValue) {
        putWith(objectPath, name, indent -> rawValue);
    }

    private void putWith(List<?> objectPath, String name, Function<String, String> valueAtIndent) {
        JsonText.ObjectValue object = object(objectPath);
        Optional<JsonText.Member> existing = object.member(name);
        if (existing.isPresent()) {
            JsonText.Value old = existing.get().value();
            splice(
                    old.start(),
                    old.end(),
                    valueAtIndent.apply(lineIndent(text, existing.get().nameStart())));
            return;
        }
        String quoted = JsonPrinter.quote(name);
        if (object.members().isEmpty()) {
            String outer = lineIndent(text, object.start());
            String inner = outer + style.indentUnit();
            splice(
                    object.start() + 1,
                    object.end() - 1,
                    style.newline()
                            + inner
                            + quoted
                            + style.colon()
                            + valueAtIndent.apply(inner)
                            + style.newline()
                            + outer);
            return;
        }
        List<JsonText.Member> members = object.members();
        JsonText.Member last = members.get(members.size() - 1);
        int gapStart = members.size() == 1
                ? object.start() + 1
                : text.indexOf(',', members.get(members.size() - 2).value().end()) + 1;
        String gap = text.substring(gapStart, last.nameStart());
        String colon = text.substring(last.nameEnd(), last.value().start());
        if (colon.contains("\n") || colon.contains("\r")) {
            colon = style.colon();
        }
        if (gap.isEmpty() && colon.endsWith(" ")) {
            gap = " ";
        }
        String indent = lineIndent(text, last.nameStart());
        splice(last.value().end(), last.value().end(), "," + gap + quoted + colon + valueAtIndent.apply(indent));
    }

    /**
     * Removes a member (the last of that name) from the object at {@code objectPath}, with the separator and line break
     * that belong to it. Nothing happens when there is no such member.
     *
     * @param innerWhenEmpty what is left between the braces when it was the only member ({@code ""} gives {@code {}})
     */
    public void removeMember(List<?> objectPath, String name, String innerWhenEmpty) {
        JsonText.ObjectValue object = object(objectPath);
        List<JsonText.Member> members = object.members();
        for (int i = members.size() - 1; i >= 0; i--) {
            if (members.get(i).name().equals(name)) {
                removeItem(
                        object.start(),
                        object.end(),
                        members.stream().map(JsonText.Member::nameStart).toList(),
                        members.stream().map(m -> m.value().end()).toList(),
                        i,
                        innerWhenEmpty);
                return;
            }
        }
    }

    /** Appends an element to the array at {@code arrayPath}, laid out like the elements before it. */
    public void append(List<?> arrayPath, JsonNode value) {
        JsonText.ArrayValue array = array(arrayPath);
        List<JsonText.Value> elements = array.elements();
        if (elements.isEmpty()) {
            String outer = lineIndent(text, array.start());
            String inner = outer + style.indentUnit();
            splice(
                    array.start() + 1,
                    array.end() - 1,
                    style.newline() + inner + JsonPrinter.print(value, style, inner) + style.newline() + outer);
            return;
        }
        JsonText.Value last = elements.get(elements.size() - 1);
        int gapStart = elements.size() == 1
                ? array.start() + 1
                : text.indexOf(',', elements.get(elements.size() - 2).end()) + 1;
        String gap = text.substring(gapStart, last.start());
        String indent = lineIndent(text, last.start());
        splice(last.end(), last.end(), "," + gap + JsonPrinter.print(value, style, indent));
    }

    /** Removes an element of the array at {@code arrayPath} with its separator. */
    public void removeElement(List<?> arrayPath, int index) {
        JsonText.ArrayValue array = array(arrayPath);
        List<JsonText.Value> elements = array.elements();
        removeItem(
                array.start(),
                array.end(),
                elements.stream().map(JsonText.Value::start).toList(),
                elements.stream().map(JsonText.Value::end).toList(),
                index,
                "");
    }

    /**
     * Removes item {@code i} of a container: from the end of the previous item (taking the comma and line break that
     * introduced it), or when it is the first, up to the start of the next; the only item leaves {@code innerWhenEmpty}.
     */
    private void removeItem(
            int containerStart,
            int containerEnd,
            List<Integer> starts,
            List<Integer> ends,
            int i,
            String innerWhenEmpty) {
        if (starts.size() == 1) {
            splice(containerStart + 1, containerEnd - 1, innerWhenEmpty);
        } else if (i > 0) {
            splice(ends.get(i - 1), ends.get(i), "");
        } else {
            splice(starts.get(0), starts.get(1), "");
        }
    }

    private JsonText.ObjectValue object(List<?> path) {
        if (path.isEmpty()) {
            ensureRootObject();
        }
        return at(path).filter(JsonText.ObjectValue.class::isInstance)
                .map(JsonText.ObjectValue.class::cast)
                .orElseThrow(() -> new IllegalArgumentException("no object at " + path));
    }

    private JsonText.ArrayValue array(List<?> path) {
        return at(path).filter(JsonText.ArrayValue.class::isInstance)
                .map(JsonText.ArrayValue.class::cast)
                .orElseThrow(() -> new IllegalArgumentException("no array at " + path));
    }

    private void splice(int from, int to, String replacement) {
        setText(text.substring(0, from) + replacement + text.substring(to));
    }

    private void setText(String next) {
        try {
            root = JsonText.parse(next);
            text = next;
        } catch (JsonText.SyntaxException e) {
            throw new IllegalStateException("an edit produced invalid JSON (" + e.getMessage() + ")", e);
        }
    }

    /** The whitespace that starts the line {@code position} is on. */
    static String lineIndent(String text, int position) {
        int lineStart = text.lastIndexOf('\n', position - 1) + 1;
        int end = lineStart;
        while (end < text.length() && (text.charAt(end) == ' ' || text.charAt(end) == '\t')) {
            end++;
        }
        return text.substring(lineStart, end);
    }
}
