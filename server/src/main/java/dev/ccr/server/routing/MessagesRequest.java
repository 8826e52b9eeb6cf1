package dev.ccr.server.routing;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import dev.ccr.server.error.ApiException;
import dev.ccr.server.json.Json;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;

/**
 * A Messages API request body, read just enough to route it. One streaming pass over the top-level keys records the
 * model (and where its value sits in the bytes, so it can be replaced without re-serialising the rest) and whether a
 * stream is asked for; nested content is skipped, not materialised, because bodies reach megabytes.
 */
public final class MessagesRequest {
    private final Buffer body;
    private final String model;
    private final int modelStart;
    private final int modelEnd;
    private final boolean stream;

    private MessagesRequest(Buffer body, String model, int modelStart, int modelEnd, boolean stream) {
        this.body = body;
        this.model = model;
        this.modelStart = modelStart;
        this.modelEnd = modelEnd;
        this.stream = stream;
    }

    /** Reads a body, or fails with an {@code invalid_request_error} saying what is wrong with it. */
    public static MessagesRequest parse(Buffer body) {
        byte[] bytes = body.getBytes();
        String model = null;
        int modelStart = -1;
        int modelEnd = -1;
        boolean stream = false;
        try (JsonParser parser = Json.FACTORY.createParser(bytes)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw ApiException.invalidRequest("the request body must be a JSON object");
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                switch (field) {
                    case "model" -> {
                        if (value != JsonToken.VALUE_STRING) {
                            throw ApiException.invalidRequest("model: expected a string");
                        }
                        modelStart = (int) parser.currentTokenLocation().getByteOffset();
                        model = parser.getText();
                        // After getText() the parser has consumed the closing quote.
                        modelEnd = (int) parser.currentLocation().getByteOffset();
                    }
                    case "stream" -> stream = value == JsonToken.VALUE_TRUE;
                    default -> parser.skipChildren();
                }
            }
            if (parser.nextToken() != null) {
                throw ApiException.invalidRequest("unexpected text after the JSON body");
            }
        } catch (JsonProcessingException e) {
            throw ApiException.invalidRequest("the request body is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new IllegalStateException("reading from a byte array cannot fail", e);
        }
        if (model == null || model.isBlank()) {
            throw ApiException.invalidRequest("model: field required");
        }
        return new MessagesRequest(body, model, modelStart, modelEnd, stream);
    }

    public Buffer body() {
        return body;
    }

    public String model() {
        return model;
    }

    public boolean stream() {
        return stream;
    }

    /** The same body with only the model value replaced; every other byte stays as the client sent it. */
    public Buffer withModel(String newModel) {
        if (newModel.equals(model)) {
            return body;
        }
        byte[] replacement = Json.writeBytes(newModel);
        Buffer out = Buffer.buffer(body.length() - (modelEnd - modelStart) + replacement.length);
        out.appendBuffer(body, 0, modelStart);
        out.appendBytes(replacement);
        out.appendBuffer(body, modelEnd, body.length() - modelEnd);
        return out;
    }

    @Override
    public String toString() {
        return "MessagesRequest[model=" + model + ", stream=" + stream + ", bytes=" + body.length() + "]";
    }
}
