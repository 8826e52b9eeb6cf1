package dev.ccr.server.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ccr.server.json.Json;
import java.io.CharConversionException;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A JSON document together with where each value starts in the text, so that problems found after parsing (wrong
 * type, unknown endpoint name) can still point at a line and column.
 */
public final class LocatedJson {
    private static final List<JsonReadFeature> JSON5 = List.of(
            JsonReadFeature.ALLOW_JAVA_COMMENTS,
            JsonReadFeature.ALLOW_TRAILING_COMMA,
            JsonReadFeature.ALLOW_SINGLE_QUOTES,
            JsonReadFeature.ALLOW_UNQUOTED_FIELD_NAMES,
            JsonReadFeature.ALLOW_LEADING_PLUS_SIGN_FOR_NUMBERS,
            JsonReadFeature.ALLOW_LEADING_DECIMAL_POINT_FOR_NUMBERS,
            JsonReadFeature.ALLOW_TRAILING_DECIMAL_POINT_FOR_NUMBERS);

    private final JsonNode root;
    private final Map<String, JsonLocation> locations;

    private LocatedJson(JsonNode root, Map<String, JsonLocation> locations) {
        this.root = root;
        this.locations = locations;
    }

    public JsonNode root() {
        return root;
    }

    /** Where the value at a JSON pointer starts (for a member: its name), or the nearest enclosing value's start. */
    public JsonLocation locate(JsonPointer pointer) {
        for (JsonPointer p = pointer; p != null; p = p.head()) {
            JsonLocation location = locations.get(p.toString());
            if (location != null) {
                return location;
            }
        }
        return JsonLocation.NA;
    }

    /** Parses strict JSON, rejecting duplicate keys (the second one would silently win otherwise). */
    public static LocatedJson parse(byte[] text) throws JsonProcessingException {
        return parse(text, false);
    }

    /**
     * Parses text, rejecting duplicate keys.
     *
     * @param lenient also accept what JSON5 adds and claude-code-router's loader (JSON5) therefore accepts: comments,
     *     trailing commas, single-quoted strings, unquoted keys, and numbers such as {@code +1}, {@code .5} or
     *     {@code 5.}
     */
    public static LocatedJson parse(byte[] text, boolean lenient) throws JsonProcessingException {
        try (JsonParser parser = Json.FACTORY.createParser(text)) {
            parser.enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION.mappedFeature());
            if (lenient) {
                for (JsonReadFeature feature : JSON5) {
                    parser.enable(feature.mappedFeature());
                }
            }
            Map<String, JsonLocation> locations = new HashMap<>();
            JsonToken first = parser.nextToken();
            if (first == null) {
                return new LocatedJson(null, locations);
            }
            JsonNode root = read(parser, JsonPointer.empty(), parser.currentTokenLocation(), locations);
            if (parser.nextToken() != null) {
                throw new com.fasterxml.jackson.core.JsonParseException(
                        parser, "unexpected text after the end of the JSON document");
            }
            return new LocatedJson(root, locations);
        } catch (JsonProcessingException e) {
            throw e;
        } catch (CharConversionException e) {
            // Jackson guesses UTF-16 or UTF-32 from the first bytes; a file that only looks like it fails this way.
            throw new JsonParseException(null, "the file is not UTF-8, UTF-16 or UTF-32 text (" + e.getMessage() + ")");
        } catch (IOException e) {
            throw new IllegalStateException("reading from a byte array cannot fail", e);
        }
    }

    private static JsonNode read(
            JsonParser parser, JsonPointer at, JsonLocation start, Map<String, JsonLocation> locations)
            throws IOException {
        locations.put(at.toString(), start);
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        switch (parser.currentToken()) {
            case START_OBJECT -> {
                ObjectNode object = nodes.objectNode();
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String name = parser.currentName();
                    JsonLocation nameLocation = parser.currentTokenLocation();
                    parser.nextToken();
                    object.set(name, read(parser, at.appendProperty(name), nameLocation, locations));
                }
                return object;
            }
            case START_ARRAY -> {
                ArrayNode array = nodes.arrayNode();
                int index = 0;
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    array.add(read(parser, at.appendIndex(index++), parser.currentTokenLocation(), locations));
                }
                return array;
            }
            case VALUE_STRING -> {
                return nodes.textNode(parser.getText());
            }
            case VALUE_NUMBER_INT -> {
                return nodes.numberNode(parser.getBigIntegerValue());
            }
            case VALUE_NUMBER_FLOAT -> {
                try {
                    return nodes.numberNode(parser.getDecimalValue());
                } catch (NumberFormatException e) {
                    // JSON5's leniency lets a lone "." through the tokenizer as a number; it is none.
                    throw new com.fasterxml.jackson.core.JsonParseException(
                            parser, "\"" + parser.getText() + "\" is not a number");
                }
            }
            case VALUE_TRUE -> {
                return nodes.booleanNode(true);
            }
            case VALUE_FALSE -> {
                return nodes.booleanNode(false);
            }
            case VALUE_NULL -> {
                return nodes.nullNode();
            }
            default -> throw new IllegalStateException("unexpected token " + parser.currentToken());
        }
    }
}
