package dev.ccr.server.translate;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.json.UTF8JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.databind.node.ValueNode;
import dev.ccr.server.error.ApiException;
import dev.ccr.server.json.Json;
import java.io.CharConversionException;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Reads a request body into a Jackson tree whose long strings also remember their escaped bytes in the body ({@link
 * RawText}). Most of a Claude Code request is prose and file contents that go upstream unchanged: the translators
 * copy those bytes instead of escaping the text again, which halves the cost of writing a 100 KB request.
 */
public final class RequestTree {
    /** Shorter strings are cheaper to re-escape than to track. */
    static final int RAW_THRESHOLD = 64;

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private RequestTree() {}

    /**
     * A long string with its JSON-escaped UTF-8 bytes in the body. It reads as any string node ({@link #isTextual()},
     * {@link #asText()}); writers that can copy bytes ({@link JsonText}, serialisation to UTF-8) copy them instead of
     * escaping the text again. (Decoding lazily was measured too: skipping a string costs Jackson as much as decoding
     * it, so it saved nothing.)
     */
    public static final class RawText extends ValueNode {
        private static final long serialVersionUID = 1L;
        private final byte[] source;
        private final int start;
        private final int length;
        private final String text;

        RawText(String text, byte[] source, int start, int length) {
            this.text = text;
            this.source = source;
            this.start = start;
            this.length = length;
        }

        byte[] source() {
            return source;
        }

        int start() {
            return start;
        }

        int length() {
            return length;
        }

        @Override
        public JsonNodeType getNodeType() {
            return JsonNodeType.STRING;
        }

        @Override
        public JsonToken asToken() {
            return JsonToken.VALUE_STRING;
        }

        @Override
        public String textValue() {
            return text;
        }

        @Override
        public String asText() {
            return textValue();
        }

        @Override
        public boolean asBoolean(boolean defaultValue) {
            return new TextNode(textValue()).asBoolean(defaultValue);
        }

        @Override
        public int asInt(int defaultValue) {
            return new TextNode(textValue()).asInt(defaultValue);
        }

        @Override
        public long asLong(long defaultValue) {
            return new TextNode(textValue()).asLong(defaultValue);
        }

        @Override
        public double asDouble(double defaultValue) {
            return new TextNode(textValue()).asDouble(defaultValue);
        }

        @Override
        public void serialize(JsonGenerator out, SerializerProvider provider) throws IOException {
            if (out instanceof UTF8JsonGenerator) {
                out.writeRawUTF8String(source, start, length);
            } else {
                out.writeString(textValue()); // character-based generators cannot take bytes
            }
        }

        @Override
        public boolean equals(Object other) {
            return other == this
                    || other instanceof JsonNode node
                            && node.isTextual()
                            && textValue().equals(node.textValue());
        }

        @Override
        public int hashCode() {
            return textValue().hashCode();
        }
    }

    /** Parses a body that is known to be a JSON object; throws a 400 otherwise. */
    public static JsonNode parse(byte[] body) {
        try (JsonParser parser = Json.REQUESTS.createParser(body)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw ApiException.invalidRequest("the request body must be a JSON object");
            }
            return read(parser, body);
        } catch (StreamConstraintsException e) {
            throw ApiException.beyondParserLimits(e);
        } catch (JsonProcessingException e) {
            throw ApiException.invalidRequest("the request body is not valid JSON: " + e.getOriginalMessage());
        } catch (CharConversionException e) {
            // Jackson guesses UTF-16 or UTF-32 from the first bytes; a body that only looks like it fails this way.
            throw ApiException.invalidRequest("the request body is not valid JSON text: " + e.getMessage());
        } catch (IOException e) {
            throw new UncheckedIOException("reading from a byte array cannot fail", e);
        }
    }

    private static JsonNode read(JsonParser parser, byte[] body) throws IOException {
        switch (parser.currentToken()) {
            case START_OBJECT -> {
                ObjectNode object = NODES.objectNode();
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String name = parser.currentName();
                    parser.nextToken();
                    object.set(name, read(parser, body));
                }
                return object;
            }
            case START_ARRAY -> {
                ArrayNode array = NODES.arrayNode();
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    array.add(read(parser, body));
                }
                return array;
            }
            case VALUE_STRING -> {
                String text = parser.getText();
                if (text.length() < RAW_THRESHOLD) {
                    return NODES.textNode(text);
                }
                // The token starts at its opening quote; after getText() the parser stands past the closing one.
                int quote = (int) parser.currentTokenLocation().getByteOffset();
                int end = (int) parser.currentLocation().getByteOffset();
                return new RawText(text, body, quote + 1, end - quote - 2);
            }
            case VALUE_NUMBER_INT -> {
                return switch (parser.getNumberType()) {
                    case INT -> NODES.numberNode(parser.getIntValue());
                    case LONG -> NODES.numberNode(parser.getLongValue());
                    default -> NODES.numberNode(parser.getBigIntegerValue());
                };
            }
            case VALUE_NUMBER_FLOAT -> {
                return NODES.numberNode(parser.getDoubleValue());
            }
            case VALUE_TRUE -> {
                return NODES.booleanNode(true);
            }
            case VALUE_FALSE -> {
                return NODES.booleanNode(false);
            }
            case VALUE_NULL -> {
                return NODES.nullNode();
            }
            default -> throw new IllegalStateException("unexpected token " + parser.currentToken());
        }
    }
}
