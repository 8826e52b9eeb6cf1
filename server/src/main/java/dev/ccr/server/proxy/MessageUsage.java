package dev.ccr.server.proxy;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import dev.ccr.server.json.Json;
import io.vertx.core.buffer.Buffer;

/**
 * Reads the usage of a whole (non-streamed) Messages answer as it passes through to the client. The body is forwarded
 * chunk by chunk as before; a copy is kept, up to a cap far above any real answer, and only its top-level
 * {@code usage} object is parsed at the end (everything else is skipped, not materialised).
 */
final class MessageUsage {
    /** A Messages answer is at most a few hundred KB (max_tokens bounds it); past this, usage is not worth the memory. */
    static final int MAX_COPY = 8 << 20;

    private final Buffer copy = Buffer.buffer();
    private boolean overflowed;

    void feed(Buffer chunk) {
        if (overflowed || copy.length() + chunk.length() > MAX_COPY) {
            overflowed = true;
            return;
        }
        copy.appendBuffer(chunk);
    }

    /** Records the answer's usage on the exchange, if it had one. */
    void report(Exchange exchange) {
        if (overflowed) {
            return;
        }
        try (JsonParser parser = Json.FACTORY.createParser(copy.getBytes())) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return;
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                parser.nextToken();
                if (!field.equals("usage")) {
                    parser.skipChildren();
                    continue;
                }
                JsonNode usage = Json.MAPPER.readTree(parser);
                exchange.usage(
                        usage.path("input_tokens").asLong(),
                        usage.path("output_tokens").asLong(),
                        usage.path("cache_read_input_tokens").asLong(),
                        usage.path("cache_creation_input_tokens").asLong());
                return;
            }
        } catch (Exception e) {
            // Not a Messages object: nothing to count, and the client already has the bytes as they were.
        }
    }
}
