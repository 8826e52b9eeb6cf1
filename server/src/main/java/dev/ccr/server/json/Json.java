package dev.ccr.server.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The router's one configured Jackson mapper; creating mappers is expensive and they are thread-safe once built. */
public final class Json {
    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            // "port": "3000" is a mistake the schema flags in the editor; the loader must agree with it.
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .build();

    public static final JsonFactory FACTORY = MAPPER.getFactory();

    /**
     * For request bodies. Jackson's default caps a single string at 20 million characters, below the body cap: a 20 MB
     * base64 PDF in a 32 MB body would be refused as "not valid JSON". The body cap ({@code maxBodyMB}), enforced
     * before any body is parsed, bounds every string and name in it, so the parser's own length caps are lifted to the
     * largest body there can be. Nesting depth and number length keep Jackson's defaults (1000 levels, 1000 digits):
     * no request needs more, and both bound the work one request can cause.
     */
    public static final JsonFactory REQUESTS = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxStringLength(Integer.MAX_VALUE)
                    .maxNameLength(Integer.MAX_VALUE)
                    .build())
            .build();

    private Json() {}

    public static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    /** Serialises a value that is known to be serialisable (trees, records of plain values). */
    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(
                    "cannot serialise " + value.getClass().getSimpleName(), e);
        }
    }

    public static byte[] writeBytes(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(
                    "cannot serialise " + value.getClass().getSimpleName(), e);
        }
    }
}
