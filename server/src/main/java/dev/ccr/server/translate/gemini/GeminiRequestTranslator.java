package dev.ccr.server.translate.gemini;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ccr.server.config.Quirks;
import dev.ccr.server.error.ApiException;
import dev.ccr.server.json.Json;
import dev.ccr.server.translate.AnthropicRequests;
import dev.ccr.server.translate.Dropped;
import dev.ccr.server.translate.JsonText;
import dev.ccr.server.translate.RequestFields;
import dev.ccr.server.translate.SchemaCleaner;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes an Anthropic Messages request as a Gemini {@code generateContent} request.
 *
 * <p>Top-level system blocks become {@code systemInstruction}; an in-list {@code role: system} message stays where it
 * is, as user text (Gemini has no system role inside {@code contents}). Consecutive turns of the same role are merged,
 * as Gemini wants them alternating. Tool results become {@code functionResponse} parts, which need the function's
 * name: it is looked up from the {@code tool_use} blocks earlier in the history.
 *
 * <p>Thought signatures: an answer's {@code thoughtSignature} travels to the client inside a thinking block's {@code
 * signature}, verbatim, placed just before the part it belonged to (or just after, for a signature on trailing text).
 * Claude Code sends thinking blocks back unchanged, so here each signature is put back on the part that follows it
 * (or, when none follows, the part before it) — which is where Gemini requires it, on the first function call of a
 * step. Claude Code drops thinking blocks for model ids it does not know, so a function call's signature also rides
 * in its tool_use id ({@link SignedToolIds}) and is taken from there when no thinking block brought it.
 */
public final class GeminiRequestTranslator {
    private static final String FORMAT = "Gemini";

    private GeminiRequestTranslator() {}

    public static Buffer translate(JsonNode request, Quirks quirks) {
        RequestFields.check(request);
        ByteArrayBuilder bytes = new ByteArrayBuilder(16 * 1024);
        try (JsonGenerator out = Json.FACTORY.createGenerator(bytes)) {
            new Writer(out, request, quirks).write();
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory cannot fail", e);
        }
        return Buffer.buffer(bytes.toByteArray());
    }

    /** One part of a model turn, before signatures are placed. */
    private record Part(JsonNode block, String signature) {}

    private static final class Writer {
        private final JsonGenerator out;
        private final JsonNode request;
        private final Quirks quirks;
        private final Map<String, String> toolNames = new HashMap<>();
        private String openRole;

        Writer(JsonGenerator out, JsonNode request, Quirks quirks) {
            this.out = out;
            this.request = request;
            this.quirks = quirks;
        }

        void write() throws IOException {
            if (request.has("context_management")) {
                Dropped.field(FORMAT, "context_management", "context editing is done by Anthropic's API");
            }
            JsonNode messages = AnthropicRequests.messages(request);
            for (JsonNode message : messages) {
                JsonNode content = message.get("content");
                if (content != null && content.isArray()) {
                    for (JsonNode block : content) {
                        if ("tool_use".equals(block.path("type").asText())) {
                            toolNames.put(
                                    block.path("id").asText(),
                                    block.path("name").asText());
                        }
                    }
                }
            }
            out.writeStartObject();
            contents(messages);
            systemInstruction();
            tools();
            generationConfig();
            out.writeEndObject();
        }

        private void contents(JsonNode messages) throws IOException {
            out.writeArrayFieldStart("contents");
            for (int i = 0; i < messages.size(); i++) {
                JsonNode message = messages.get(i);
                String where = "messages." + i;
                List<JsonNode> blocks = AnthropicRequests.blocks(message.get("content"), where);
                switch (message.path("role").asText()) {
                    case "user" -> userTurn(blocks, where);
                    case "system" -> {
                        for (JsonNode block : blocks) {
                            if ("text".equals(block.path("type").asText())) {
                                textPart("user", block.path("text"), null);
                            }
                        }
                    }
                    case "assistant" -> modelTurn(blocks, where);
                    default ->
                        throw ApiException.invalidRequest(where + ".role: expected user, assistant or system, got \""
                                + message.path("role").asText() + "\"");
                }
            }
            closeContent();
            out.writeEndArray();
        }

        private void userTurn(List<JsonNode> blocks, String where) throws IOException {
            List<JsonNode> attachments = new ArrayList<>();
            for (int i = 0; i < blocks.size(); i++) {
                JsonNode block = blocks.get(i);
                if ("tool_result".equals(block.path("type").asText())) {
                    functionResponse(block, attachments, where + ".content." + i);
                }
            }
            for (JsonNode attachment : attachments) {
                media("user", attachment, where);
            }
            for (int i = 0; i < blocks.size(); i++) {
                JsonNode block = blocks.get(i);
                String type = block.path("type").asText();
                switch (type) {
                    case "tool_result" -> {}
                    case "text" -> textPart("user", block.path("text"), null);
                    case "image", "document" -> media("user", block, where + ".content." + i);
                    default -> {
                        if (!AnthropicRequests.anthropicOnly(type)) {
                            throw AnthropicRequests.unsupported(type, where + ".content." + i, "Gemini");
                        }
                    }
                }
            }
        }

        private void functionResponse(JsonNode block, List<JsonNode> attachments, String where) throws IOException {
            String id = block.path("tool_use_id").asText();
            String name = toolNames.get(id);
            if (name == null) {
                throw ApiException.invalidRequest(where + ": tool_result for \"" + id + "\" has no matching tool_use"
                        + " earlier in the conversation; Gemini needs the function's name");
            }
            List<JsonNode> content = AnthropicRequests.blocks(block.get("content"), where);
            for (JsonNode part : content) {
                String type = part.path("type").asText();
                if (type.equals("image") || type.equals("document")) {
                    attachments.add(part);
                }
            }
            part("user");
            out.writeObjectFieldStart("functionResponse");
            out.writeStringField("name", name);
            out.writeObjectFieldStart("response");
            out.writeFieldName(block.path("is_error").asBoolean(false) ? "error" : "content");
            JsonText.writeJoined(out, "", AnthropicRequests.texts(content), AnthropicRequests.TEXT_SEPARATOR);
            out.writeEndObject();
            out.writeEndObject();
            out.writeEndObject();
        }

        private void media(String role, JsonNode block, String where) throws IOException {
            JsonNode source = block.path("source");
            switch (source.path("type").asText()) {
                case "base64" -> {
                    part(role);
                    out.writeObjectFieldStart("inlineData");
                    out.writeStringField("mimeType", source.path("media_type").asText());
                    JsonText.writeField(out, "data", source.path("data"));
                    out.writeEndObject();
                    out.writeEndObject();
                }
                case "url" -> {
                    part(role);
                    out.writeObjectFieldStart("fileData");
                    out.writeStringField("fileUri", source.path("url").asText());
                    out.writeEndObject();
                    out.writeEndObject();
                }
                case "text" -> textPart(role, source.path("data"), null);
                default ->
                    throw ApiException.invalidRequest(
                            where + ".source.type: expected base64, url or text for a Gemini endpoint");
            }
        }

        private void modelTurn(List<JsonNode> blocks, String where) throws IOException {
            List<Part> parts = new ArrayList<>();
            String pending = null;
            for (int i = 0; i < blocks.size(); i++) {
                JsonNode block = blocks.get(i);
                String type = block.path("type").asText();
                switch (type) {
                    case "thinking" -> {
                        String signature = block.path("signature").asText("");
                        if (!signature.isEmpty()) {
                            if (pending != null) {
                                parts.add(new Part(block, pending)); // two signatures in a row: keep both
                            }
                            pending = signature;
                        }
                    }
                    case "text", "tool_use" -> {
                        parts.add(new Part(block, pending));
                        pending = null;
                    }
                    default -> {
                        if (!AnthropicRequests.anthropicOnly(type)) {
                            throw AnthropicRequests.unsupported(type, where + ".content." + i, "Gemini");
                        }
                    }
                }
            }
            if (pending != null) {
                Part last = parts.isEmpty() ? null : parts.get(parts.size() - 1);
                if (last != null && last.signature() == null) {
                    parts.set(parts.size() - 1, new Part(last.block(), pending));
                } else {
                    parts.add(new Part(thoughtOnly(), pending));
                }
            }
            for (Part part : parts) {
                modelPart(part);
            }
        }

        private static JsonNode thoughtOnly() {
            return Json.object().put("type", "thinking").put("thinking", "");
        }

        private void modelPart(Part part) throws IOException {
            JsonNode block = part.block();
            switch (block.path("type").asText()) {
                case "text" -> textPart("model", block.path("text"), part.signature());
                case "thinking" -> {
                    part("model");
                    out.writeBooleanField("thought", true);
                    JsonText.writeField(out, "text", block.path("thinking"));
                    signature(part.signature());
                    out.writeEndObject();
                }
                default -> {
                    String signature = part.signature() != null
                            ? part.signature()
                            : SignedToolIds.signature(block.path("id").asText(null));
                    part("model");
                    out.writeObjectFieldStart("functionCall");
                    out.writeStringField("name", block.path("name").asText());
                    out.writeFieldName("args");
                    JsonNode input = block.get("input");
                    out.writeTree(input != null && input.isObject() ? input : Json.object());
                    out.writeEndObject();
                    signature(signature);
                    out.writeEndObject();
                }
            }
        }

        private void textPart(String role, JsonNode text, String signature) throws IOException {
            if (text.asText().isEmpty() && signature == null) {
                return; // Gemini rejects empty parts
            }
            part(role);
            JsonText.writeField(out, "text", text);
            signature(signature);
            out.writeEndObject();
        }

        private void signature(String signature) throws IOException {
            if (signature != null) {
                out.writeStringField("thoughtSignature", signature);
            }
        }

        /** Opens a part object inside a content of this role, starting a new content when the role changes. */
        private void part(String role) throws IOException {
            if (!role.equals(openRole)) {
                closeContent();
                out.writeStartObject();
                out.writeStringField("role", role);
                out.writeArrayFieldStart("parts");
                openRole = role;
            }
            out.writeStartObject();
        }

        private void closeContent() throws IOException {
            if (openRole != null) {
                out.writeEndArray();
                out.writeEndObject();
                openRole = null;
            }
        }

        private void systemInstruction() throws IOException {
            JsonNode system = request.get("system");
            if (system == null || system.isNull()) {
                return;
            }
            List<JsonNode> texts = AnthropicRequests.texts(AnthropicRequests.blocks(system, "system"));
            if (texts.isEmpty()) {
                return;
            }
            out.writeObjectFieldStart("systemInstruction");
            out.writeArrayFieldStart("parts");
            out.writeStartObject();
            out.writeFieldName("text");
            JsonText.writeJoined(out, "", texts, AnthropicRequests.TEXT_SEPARATOR);
            out.writeEndObject();
            out.writeEndArray();
            out.writeEndObject();
        }

        private void tools() throws IOException {
            JsonNode tools = request.get("tools");
            if (tools == null || !tools.isArray()) {
                return;
            }
            boolean any = false;
            List<String> builtIn = new ArrayList<>(2);
            for (JsonNode tool : tools) {
                JsonNode schema = tool.get("input_schema");
                if (schema == null) {
                    // Anthropic's web search and fetch become Gemini's own Google Search and URL context (only routes
                    // that may search get here, see ServerTools); other server tools have no Gemini equivalent.
                    String type = tool.path("type").asText();
                    if (type.startsWith("web_search")) {
                        builtIn.add("googleSearch");
                    } else if (type.startsWith("web_fetch")) {
                        builtIn.add("urlContext");
                    }
                    continue;
                }
                if (tool.path("defer_loading").asBoolean(false)) {
                    Dropped.field(FORMAT, "tools with defer_loading", "tool search is Anthropic's");
                    continue;
                }
                if (!any) {
                    out.writeArrayFieldStart("tools");
                    out.writeStartObject();
                    out.writeArrayFieldStart("functionDeclarations");
                    any = true;
                }
                out.writeStartObject();
                out.writeStringField("name", tool.path("name").asText());
                if (tool.hasNonNull("description")) {
                    JsonText.writeField(out, "description", tool.get("description"));
                }
                ObjectNode parameters = SchemaCleaner.parameters(schema);
                if (parameters != null) {
                    out.writeFieldName("parameters");
                    out.writeTree(parameters);
                }
                out.writeEndObject();
            }
            if (any) {
                out.writeEndArray();
                out.writeEndObject();
            }
            boolean search = !any && !builtIn.isEmpty();
            if (search) {
                // Gemini's search and URL tools are tools of their own; Gemini does not take them next to function
                // declarations, and Claude Code's web search request offers nothing else.
                out.writeArrayFieldStart("tools");
                for (String name : builtIn) {
                    out.writeStartObject();
                    out.writeObjectFieldStart(name);
                    out.writeEndObject();
                    out.writeEndObject();
                }
            }
            if (any || search) {
                out.writeEndArray();
            }
            if (any) {
                toolConfig();
            }
        }

        private void toolConfig() throws IOException {
            JsonNode choice = request.get("tool_choice");
            if (choice == null || !choice.isObject()) {
                return;
            }
            String type = choice.path("type").asText();
            String mode =
                    switch (type) {
                        case "auto" -> "AUTO";
                        case "any", "tool" -> "ANY";
                        case "none" -> "NONE";
                        default ->
                            throw ApiException.invalidRequest(
                                    "tool_choice.type: expected auto, any, tool or none, got \"" + type + "\"");
                    };
            out.writeObjectFieldStart("toolConfig");
            out.writeObjectFieldStart("functionCallingConfig");
            out.writeStringField("mode", mode);
            if (type.equals("tool")) {
                out.writeArrayFieldStart("allowedFunctionNames");
                out.writeString(choice.path("name").asText());
                out.writeEndArray();
            }
            out.writeEndObject();
            out.writeEndObject();
        }

        private void generationConfig() throws IOException {
            out.writeObjectFieldStart("generationConfig");
            JsonNode maxTokens = request.get("max_tokens");
            if (maxTokens != null && maxTokens.isNumber()) {
                out.writeNumberField("maxOutputTokens", quirks.outputLimit(maxTokens.asLong()));
            }
            JsonNode stops = request.get("stop_sequences");
            if (stops != null && stops.isArray() && !stops.isEmpty()) {
                out.writeFieldName("stopSequences");
                out.writeTree(stops);
            }
            copyNumber("temperature", "temperature");
            copyNumber("top_p", "topP");
            copyNumber("top_k", "topK");
            JsonNode format = request.path("output_config").get("format");
            if (quirks.structuredOutput()
                    && format != null
                    && "json_schema".equals(format.path("type").asText())) {
                out.writeStringField("responseMimeType", "application/json");
                ObjectNode schema = SchemaCleaner.clean(format.path("schema"), format.path("schema"), 0);
                if (!schema.isEmpty()) {
                    out.writeFieldName("responseSchema");
                    out.writeTree(schema);
                }
            }
            thinkingConfig();
            out.writeEndObject();
        }

        /**
         * Thoughts are asked for whenever the client has thinking on, so they come back as thinking blocks. Off
         * leaves the model's default: some Gemini models cannot stop thinking, and a zero budget would be rejected.
         */
        private void thinkingConfig() throws IOException {
            Boolean on = AnthropicRequests.thinkingOn(request);
            if (on == null || !on) {
                return;
            }
            out.writeObjectFieldStart("thinkingConfig");
            out.writeBooleanField("includeThoughts", true);
            JsonNode budget = request.path("thinking").get("budget_tokens");
            out.writeNumberField("thinkingBudget", budget != null && budget.isNumber() ? budget.asLong() : budget());
            out.writeEndObject();
        }

        /**
         * Adaptive thinking's budget from {@code output_config.effort}: a small budget for low, a moderate one for
         * medium, and for high (or no effort given) -1, which lets the model choose: adaptive thinking in Gemini's
         * terms.
         */
        private long budget() {
            return switch (request.path("output_config").path("effort").asText("high")) {
                case "low" -> 1_024;
                case "medium" -> 8_192;
                default -> -1;
            };
        }

        private void copyNumber(String from, String to) throws IOException {
            JsonNode value = request.get(from);
            if (value != null && value.isNumber()) {
                out.writeFieldName(to);
                out.writeTree(value);
            }
        }
    }
}
