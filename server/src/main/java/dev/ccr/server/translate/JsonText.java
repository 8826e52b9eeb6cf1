package dev.ccr.server.translate;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.List;

/**
 * Writes text from a {@link RequestTree} into a translated request: strings that came from the body as long runs are
 * copied as their original escaped bytes; joined text is assembled from those bytes and escaped separators.
 */
public final class JsonText {
    private static final JsonStringEncoder ENCODER = JsonStringEncoder.getInstance();

    private JsonText() {}

    /** A string value from the tree (a text node; anything else is written as its text). */
    public static void write(JsonGenerator out, JsonNode text) throws IOException {
        if (text instanceof RequestTree.RawText raw) {
            out.writeRawUTF8String(raw.source(), raw.start(), raw.length());
        } else {
            out.writeString(text == null ? "" : text.asText());
        }
    }

    public static void writeField(JsonGenerator out, String field, JsonNode text) throws IOException {
        out.writeFieldName(field);
        write(out, text);
    }

    /**
     * One string made of {@code prefix}, then the parts joined by {@code separator}.
     *
     * @param parts text nodes
     */
    public static void writeJoined(JsonGenerator out, String prefix, List<JsonNode> parts, String separator)
            throws IOException {
        if (prefix.isEmpty() && parts.size() == 1) {
            write(out, parts.get(0));
            return;
        }
        ByteArrayBuilder bytes = new ByteArrayBuilder(1024);
        bytes.write(ENCODER.quoteAsUTF8(prefix));
        byte[] escapedSeparator = ENCODER.quoteAsUTF8(separator);
        for (int i = 0; i < parts.size(); i++) {
            if (i > 0) {
                bytes.write(escapedSeparator);
            }
            JsonNode part = parts.get(i);
            if (part instanceof RequestTree.RawText raw) {
                bytes.write(raw.source(), raw.start(), raw.length());
            } else {
                bytes.write(ENCODER.quoteAsUTF8(part.asText()));
            }
        }
        byte[] joined = bytes.toByteArray();
        out.writeRawUTF8String(joined, 0, joined.length);
    }
}
