package dev.ccr.server.routing;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import dev.ccr.server.error.ApiException;
import dev.ccr.server.json.Json;
import dev.ccr.server.tokens.TokenCounter;
import io.vertx.core.buffer.Buffer;
import java.io.CharConversionException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A Messages API request body, read just enough to route it. One streaming pass over the tokens records the model
 * (and where its value sits in the bytes, so it can be replaced without re-serialising the rest), whether a stream is
 * asked for, and what routing looks at: thinking, the tools offered, images, and a rough input token estimate. Nothing
 * is materialised beyond a few short strings, because bodies reach megabytes.
 */
public final class MessagesRequest {
    /**
     * Characters per token for the routing estimate. Claude's tokenizer yields roughly one token per 3.5 characters
     * of English and code; an estimate is all routing needs ({@code count_tokens} uses a real tokenizer).
     */
    private static final double CHARS_PER_TOKEN = 3.5;

    private final Buffer body;
    private final String model;
    private final int modelStart;
    private final int modelEnd;
    private final boolean stream;
    private final boolean thinking;
    private final List<String> toolNames;
    private final boolean webSearch;
    private final boolean images;
    private final int estimatedInputTokens;
    private final SubagentTag.Found subagentTag;
    private final String subagentModel;

    private MessagesRequest(Buffer body, String model, int modelStart, int modelEnd, boolean stream, Scan scan) {
        this.body = body;
        this.model = model;
        this.modelStart = modelStart;
        this.modelEnd = modelEnd;
        this.stream = stream;
        this.thinking = scan.thinking;
        this.toolNames = List.copyOf(scan.toolNames);
        this.webSearch = scan.webSearch;
        this.images = scan.images > 0;
        this.estimatedInputTokens = (int) Math.min(
                Integer.MAX_VALUE,
                (long) (scan.chars / CHARS_PER_TOKEN) + (long) scan.images * TokenCounter.TOKENS_PER_IMAGE);
        this.subagentTag = scan.subagentTag;
        this.subagentModel = scan.subagentTag == null ? null : scan.subagentTag.model();
    }

    private MessagesRequest(MessagesRequest stripped, String subagentModel) {
        this.body = stripped.body;
        this.model = stripped.model;
        this.modelStart = stripped.modelStart;
        this.modelEnd = stripped.modelEnd;
        this.stream = stripped.stream;
        this.thinking = stripped.thinking;
        this.toolNames = stripped.toolNames;
        this.webSearch = stripped.webSearch;
        this.images = stripped.images;
        this.estimatedInputTokens = stripped.estimatedInputTokens;
        this.subagentTag = null;
        this.subagentModel = subagentModel;
    }

    /** What the pass over nested content found. */
    private static final class Scan {
        long chars;
        int images;
        boolean thinking;
        boolean webSearch;
        final List<String> toolNames = new ArrayList<>();
        SubagentTag.Found subagentTag;
    }

    /** Reads a body, or fails with an {@code invalid_request_error} saying what is wrong with it. */
    public static MessagesRequest parse(Buffer body) {
        if (body == null || body.length() == 0) {
            throw ApiException.invalidRequest("the request body is empty; send a JSON object with model and messages");
        }
        byte[] bytes = body.getBytes();
        String model = null;
        int modelStart = -1;
        int modelEnd = -1;
        boolean stream = false;
        Scan scan = new Scan();
        try (JsonParser parser = Json.REQUESTS.createParser(bytes)) {
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
                        if (ControlCharacters.find(model) >= 0) {
                            // It becomes a header value and a log line.
                            throw ApiException.invalidRequest("model: must not contain control characters (found "
                                    + ControlCharacters.describe(model) + ")");
                        }
                    }
                    case "stream" -> {
                        // The router must know for sure: "true" (a string) is neither streamed nor not.
                        if (value != JsonToken.VALUE_TRUE
                                && value != JsonToken.VALUE_FALSE
                                && value != JsonToken.VALUE_NULL) {
                            throw ApiException.invalidRequest("stream: Input should be a valid boolean");
                        }
                        stream = value == JsonToken.VALUE_TRUE;
                    }
                    case "thinking" -> scanThinking(parser, scan);
                    case "tools" -> scanTools(parser, scan);
                    case "system" -> scanContent(parser, scan, true);
                    case "messages" -> scanContent(parser, scan, false);
                    default -> parser.skipChildren();
                }
            }
            if (parser.nextToken() != null) {
                throw ApiException.invalidRequest("unexpected text after the JSON body");
            }
        } catch (StreamConstraintsException e) {
            throw ApiException.beyondParserLimits(e);
        } catch (JsonProcessingException e) {
            throw ApiException.invalidRequest("the request body is not valid JSON: " + e.getOriginalMessage());
        } catch (CharConversionException e) {
            // Jackson guesses UTF-16 or UTF-32 from the first bytes; a body that only looks like it fails this way.
            throw ApiException.invalidRequest("the request body is not valid JSON text: " + e.getMessage());
        } catch (IOException e) {
            throw new IllegalStateException("reading from a byte array cannot fail", e);
        }
        if (model == null || model.isBlank()) {
            throw ApiException.invalidRequest("model: field required");
        }
        return new MessagesRequest(body, model, modelStart, modelEnd, stream, scan);
    }

    /** {@code thinking: {"type": "enabled" | "adaptive" | "disabled"}}; the first two mean thinking is on. */
    private static void scanThinking(JsonParser parser, Scan scan) throws IOException {
        if (parser.currentToken() != JsonToken.START_OBJECT) {
            parser.skipChildren();
            return;
        }
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            JsonToken value = parser.nextToken();
            if (field.equals("type") && value == JsonToken.VALUE_STRING) {
                String type = parser.getText();
                scan.thinking = type.equals("enabled") || type.equals("adaptive");
            } else {
                parser.skipChildren();
            }
        }
    }

    /** Tool names (server tools such as {@code web_search_20250305} count by type), and their text for the estimate. */
    private static void scanTools(JsonParser parser, Scan scan) throws IOException {
        if (parser.currentToken() != JsonToken.START_ARRAY) {
            parser.skipChildren();
            return;
        }
        while (parser.nextToken() == JsonToken.START_OBJECT) {
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                scan.chars += field.length();
                JsonToken value = parser.nextToken();
                if (value == JsonToken.VALUE_STRING && (field.equals("name") || field.equals("type"))) {
                    String text = parser.getText();
                    scan.chars += text.length();
                    if (field.equals("name")) {
                        scan.toolNames.add(text);
                    }
                    if (text.startsWith("web_search") || (field.equals("type") && text.startsWith("web_fetch_"))) {
                        scan.webSearch = true;
                    }
                } else {
                    scanContent(parser, scan, false);
                }
            }
        }
    }

    /**
     * Walks one value of any depth: adds its text to the estimate and counts images. Base64 payloads ({@code data})
     * are not text the model reads as tokens, so they are skipped; the image itself is counted instead.
     */
    private static void scanContent(JsonParser parser, Scan scan, boolean system) throws IOException {
        if (!parser.currentToken().isStructStart()) {
            if (parser.currentToken() == JsonToken.VALUE_STRING) {
                scan.chars += parser.getTextLength();
                if (system) {
                    findSubagentTag(parser, scan);
                }
            }
            return;
        }
        int depth = 1;
        String field = null;
        while (depth > 0) {
            JsonToken token = parser.nextToken();
            if (token == null) {
                return; // the outer loop reports the truncation
            }
            switch (token) {
                case START_OBJECT, START_ARRAY -> depth++;
                case END_OBJECT, END_ARRAY -> depth--;
                case FIELD_NAME -> field = parser.currentName();
                case VALUE_STRING -> {
                    if ("type".equals(field)) {
                        String type = parser.getText();
                        if (type.equals("image")) {
                            scan.images++;
                        }
                    } else if (!"data".equals(field)) {
                        scan.chars += parser.getTextLength();
                        if (system && "text".equals(field)) {
                            findSubagentTag(parser, scan);
                        }
                    }
                }
                default -> {}
            }
        }
    }

    /** Looks for claude-code-router's subagent tag in a system text; the first one found counts. */
    private static void findSubagentTag(JsonParser parser, Scan scan) throws IOException {
        if (scan.subagentTag != null) {
            return;
        }
        // Searched in the parser's own buffer: a system prompt is tens of KB, and a String of it per request is waste
        // when nearly none carries the tag.
        if (!contains(parser.getTextCharacters(), parser.getTextOffset(), parser.getTextLength(), SubagentTag.OPEN)) {
            return;
        }
        long start = parser.currentTokenLocation().getByteOffset();
        scan.subagentTag = SubagentTag.find(
                parser.getText(), (int) start, (int) parser.currentLocation().getByteOffset());
    }

    private static boolean contains(char[] text, int offset, int length, String wanted) {
        int last = offset + length - wanted.length();
        outer:
        for (int i = offset; i <= last; i++) {
            for (int j = 0; j < wanted.length(); j++) {
                if (text[i + j] != wanted.charAt(j)) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    public Buffer body() {
        return body;
    }

    /**
     * The {@code endpoint,model} a subagent's system prompt asks for with {@code <CCR-SUBAGENT-MODEL>}, or {@code
     * null}.
     */
    public String subagentModel() {
        return subagentModel;
    }

    /**
     * The same request without its {@code <CCR-SUBAGENT-MODEL>} tag, which is for the router only: only then is the
     * body changed beyond its model. Returns this request when it has no tag.
     */
    public MessagesRequest withoutSubagentTag() {
        if (subagentTag == null) {
            return this;
        }
        return new MessagesRequest(parse(subagentTag.remove(body)), subagentModel);
    }

    public String model() {
        return model;
    }

    public boolean stream() {
        return stream;
    }

    /** Whether thinking is on ({@code thinking.type} enabled or adaptive). */
    public boolean thinking() {
        return thinking;
    }

    /** The names of the tools offered, in order. */
    public List<String> toolNames() {
        return toolNames;
    }

    /**
     * Whether a web search or fetch tool is offered: a tool whose name or type starts with {@code web_search}, or an
     * Anthropic {@code web_fetch_*} server tool.
     */
    public boolean webSearch() {
        return webSearch;
    }

    /** Whether any message carries an image (tool results included). */
    public boolean images() {
        return images;
    }

    /** A rough input token count for routing decisions: text length over {@value #CHARS_PER_TOKEN}, plus images. */
    public int estimatedInputTokens() {
        return estimatedInputTokens;
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
        return "MessagesRequest[model=" + model + ", stream=" + stream + ", bytes=" + body.length() + ", tokens~"
                + estimatedInputTokens + "]";
    }
}
