package dev.ccr.server.json;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * JSON text parsed into values that remember where they are in it, so an edit can replace one value and keep every other
 * character as the author wrote it. Parsing is strict RFC 8259, as {@code JSON.parse} is (no comments, no trailing
 * commas), because the files edited this way are read by Node programs. A leading byte order mark is tolerated and
 * kept.
 */
public final class JsonText {
    private static final int MAX_DEPTH = 512;

    /** A parsed value and where it is: {@code text.substring(start, end)} is its exact source. */
    public sealed interface Value permits ObjectValue, ArrayValue, ScalarValue {
        int start();

        int end();
    }

    /**
     * A member of an object.
     *
     * @param nameStart where the opening quote of its name is
     * @param nameEnd just after the closing quote of its name
     */
    public record Member(String name, int nameStart, int nameEnd, Value value) {}

    /** An object; members keep their order and duplicates, which {@code JSON.parse} resolves to the last. */
    public record ObjectValue(int start, int end, List<Member> members) implements Value {
        /** The member that {@code JSON.parse} would keep for this name: the last one. */
        public Optional<Member> member(String name) {
            for (int i = members.size() - 1; i >= 0; i--) {
                if (members.get(i).name().equals(name)) {
                    return Optional.of(members.get(i));
                }
            }
            return Optional.empty();
        }

        /** How many members have this name. */
        public long count(String name) {
            return members.stream().filter(m -> m.name().equals(name)).count();
        }
    }

    /** An array. */
    public record ArrayValue(int start, int end, List<Value> elements) implements Value {}

    /** What a scalar is. */
    public enum Kind {
        STRING,
        NUMBER,
        TRUE,
        FALSE,
        NULL
    }

    /**
     * A string, number, boolean or null.
     *
     * @param string the decoded text of a string, else {@code null}
     */
    public record ScalarValue(int start, int end, Kind kind, String string) implements Value {}

    /** Text that is not JSON, with where it went wrong (1-based line and column). */
    public static final class SyntaxException extends Exception {
        private final int line;
        private final int column;
        private final String reason;

        SyntaxException(int line, int column, String reason) {
            super(line + ":" + column + ": " + reason, null, false, false);
            this.line = line;
            this.column = column;
            this.reason = reason;
        }

        public int line() {
            return line;
        }

        public int column() {
            return column;
        }

        public String reason() {
            return reason;
        }
    }

    private final String text;
    private int position;
    private int depth;

    private JsonText(String text) {
        this.text = text;
    }

    /** Parses a whole document. Returns empty for text that holds only whitespace (and a byte order mark). */
    public static Optional<Value> parse(String text) throws SyntaxException {
        JsonText parser = new JsonText(text);
        if (text.startsWith("\uFEFF")) {
            parser.position = 1;
        }
        parser.skipWhitespace();
        if (parser.position == text.length()) {
            return Optional.empty();
        }
        Value root = parser.value();
        parser.skipWhitespace();
        if (parser.position != text.length()) {
            throw parser.error("unexpected " + parser.describeNext() + " after the end of the JSON value");
        }
        return Optional.of(root);
    }

    /**
     * Bytes as text, refusing anything that is not UTF-8: replacing bad bytes (what {@code new String} does) would
     * change them when the text is written back.
     */
    public static String decodeUtf8(byte[] bytes) throws CharacterCodingException {
        return StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(bytes))
                .toString();
    }

    /** Whether text holds nothing but whitespace (and a byte order mark). */
    public static boolean isBlank(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!(c == ' ' || c == '\t' || c == '\n' || c == '\r' || (c == '\uFEFF' && i == 0))) {
                return false;
            }
        }
        return true;
    }

    /** The 1-based line and column of a position, for messages. */
    public static int[] lineAndColumn(String text, int position) {
        int line = 1;
        int column = 1;
        for (int i = 0; i < position && i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                line++;
                column = 1;
            } else {
                column++;
            }
        }
        return new int[] {line, column};
    }

    private Value value() throws SyntaxException {
        if (position >= text.length()) {
            throw error("the text ends where a value should be");
        }
        char c = text.charAt(position);
        return switch (c) {
            case '{' -> object();
            case '[' -> array();
            case '"' -> {
                int start = position;
                String decoded = string();
                yield new ScalarValue(start, position, Kind.STRING, decoded);
            }
            case 't' -> literal("true", Kind.TRUE);
            case 'f' -> literal("false", Kind.FALSE);
            case 'n' -> literal("null", Kind.NULL);
            default -> {
                if (c == '-' || (c >= '0' && c <= '9')) {
                    yield number();
                }
                throw error("expected a value, found " + describeNext());
            }
        };
    }

    private ObjectValue object() throws SyntaxException {
        int start = position;
        enter();
        position++; // {
        List<Member> members = new ArrayList<>();
        skipWhitespace();
        if (peek() == '}') {
            position++;
            depth--;
            return new ObjectValue(start, position, List.of());
        }
        while (true) {
            skipWhitespace();
            if (peek() != '"') {
                throw error("expected a member name in double quotes, found " + describeNext());
            }
            int nameStart = position;
            String name = string();
            int nameEnd = position;
            skipWhitespace();
            if (peek() != ':') {
                throw error("expected ':' after the member name \"" + name + "\", found " + describeNext());
            }
            position++;
            skipWhitespace();
            members.add(new Member(name, nameStart, nameEnd, value()));
            skipWhitespace();
            char next = peek();
            if (next == ',') {
                position++;
                continue;
            }
            if (next == '}') {
                position++;
                depth--;
                return new ObjectValue(start, position, List.copyOf(members));
            }
            throw error("expected ',' or '}' after a member, found " + describeNext());
        }
    }

    private ArrayValue array() throws SyntaxException {
        int start = position;
        enter();
        position++; // [
        List<Value> elements = new ArrayList<>();
        skipWhitespace();
        if (peek() == ']') {
            position++;
            depth--;
            return new ArrayValue(start, position, List.of());
        }
        while (true) {
            skipWhitespace();
            elements.add(value());
            skipWhitespace();
            char next = peek();
            if (next == ',') {
                position++;
                continue;
            }
            if (next == ']') {
                position++;
                depth--;
                return new ArrayValue(start, position, List.copyOf(elements));
            }
            throw error("expected ',' or ']' after an element, found " + describeNext());
        }
    }

    private String string() throws SyntaxException {
        position++; // opening quote
        StringBuilder out = new StringBuilder();
        while (true) {
            if (position >= text.length()) {
                throw error("a string is not closed");
            }
            char c = text.charAt(position);
            if (c == '"') {
                position++;
                return out.toString();
            }
            if (c < 0x20) {
                throw error("a control character must be escaped inside a string");
            }
            if (c != '\\') {
                out.append(c);
                position++;
                continue;
            }
            position++;
            if (position >= text.length()) {
                throw error("a string is not closed");
            }
            char escaped = text.charAt(position);
            switch (escaped) {
                case '"', '\\', '/' -> out.append(escaped);
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case 'u' -> {
                    if (position + 4 >= text.length()
                            || !text.substring(position + 1, position + 5).matches("[0-9a-fA-F]{4}")) {
                        throw error("\\u must be followed by four hex digits");
                    }
                    out.append((char) Integer.parseInt(text.substring(position + 1, position + 5), 16));
                    position += 4;
                }
                default -> throw error("\\" + escaped + " is not a valid escape");
            }
            position++;
        }
    }

    private ScalarValue number() throws SyntaxException {
        int start = position;
        if (peek() == '-') {
            position++;
        }
        if (peek() == '0') {
            position++;
        } else if (isDigit(peek())) {
            while (isDigit(peek())) {
                position++;
            }
        } else {
            throw error("expected a digit, found " + describeNext());
        }
        if (peek() == '.') {
            position++;
            if (!isDigit(peek())) {
                throw error("expected a digit after '.', found " + describeNext());
            }
            while (isDigit(peek())) {
                position++;
            }
        }
        if (peek() == 'e' || peek() == 'E') {
            position++;
            if (peek() == '+' || peek() == '-') {
                position++;
            }
            if (!isDigit(peek())) {
                throw error("expected a digit in the exponent, found " + describeNext());
            }
            while (isDigit(peek())) {
                position++;
            }
        }
        return new ScalarValue(start, position, Kind.NUMBER, null);
    }

    private ScalarValue literal(String word, Kind kind) throws SyntaxException {
        if (!text.startsWith(word, position)) {
            throw error("expected a value, found " + describeNext());
        }
        int start = position;
        position += word.length();
        return new ScalarValue(start, position, kind, null);
    }

    private void enter() throws SyntaxException {
        if (++depth > MAX_DEPTH) {
            throw error("nested more than " + MAX_DEPTH + " levels deep");
        }
    }

    private void skipWhitespace() {
        while (position < text.length()) {
            char c = text.charAt(position);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return;
            }
            position++;
        }
    }

    private char peek() {
        return position < text.length() ? text.charAt(position) : '\0';
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private String describeNext() {
        if (position >= text.length()) {
            return "the end of the text";
        }
        char c = text.charAt(position);
        if (c == '/'
                && position + 1 < text.length()
                && (text.charAt(position + 1) == '/' || text.charAt(position + 1) == '*')) {
            return "a comment (JSON has none)";
        }
        return c < 0x20 ? String.format("character U+%04X", (int) c) : "'" + c + "'";
    }

    private SyntaxException error(String reason) {
        int[] at = lineAndColumn(text, position);
        return new SyntaxException(at[0], at[1], reason);
    }
}
