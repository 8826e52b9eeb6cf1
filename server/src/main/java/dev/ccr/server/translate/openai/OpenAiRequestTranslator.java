package dev.ccr.server.translate.openai;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.JsonNode;
import dev.ccr.server.config.Quirks;
import dev.ccr.server.error.ApiException;
import dev.ccr.server.json.Json;
import dev.ccr.server.routing.Glob;
import dev.ccr.server.translate.AnthropicRequests;
import dev.ccr.server.translate.Dropped;
import dev.ccr.server.translate.JsonText;
import dev.ccr.server.translate.RequestFields;
import dev.ccr.server.translate.SchemaCleaner;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Writes an Anthropic Messages request as an OpenAI chat completions request (CLAUDE-CODE-FACTS "Translating to
 * OpenAI chat completions"). Output goes straight to a JSON generator, without an intermediate tree: Claude Code's
 * requests are 100 KB and more, every turn.
 *
 * <p>Order is kept: top-level system blocks become the first system message and in-list {@code role: system}
 * messages stay where they are; each user turn's tool results become {@code role: tool} messages ahead of the rest of
 * that turn, which is the order OpenAI requires after an assistant's {@code tool_calls}.
 */
public final class OpenAiRequestTranslator {
    private static final Map<String, Glob> GLOBS = new ConcurrentHashMap<>();
    private static final String FORMAT = "OpenAI-format";

    private OpenAiRequestTranslator() {}

    public static Buffer translate(JsonNode request, String model, boolean stream, Quirks quirks) {
        RequestFields.check(request);
        ByteArrayBuilder bytes = new ByteArrayBuilder(16 * 1024);
        try (JsonGenerator out = Json.FACTORY.createGenerator(bytes)) {
            new Writer(out, request, model, quirks).write(stream);
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory cannot fail", e);
        }
        return Buffer.buffer(bytes.toByteArray());
    }

    private static final class Writer {
        private final JsonGenerator out;
        private final JsonNode request;
        private final String model;
        private final Quirks quirks;
        private final boolean reasoningModel;

        Writer(JsonGenerator out, JsonNode request, String model, Quirks quirks) {
            this.out = out;
            this.request = request;
            this.model = model;
            this.quirks = quirks;
            this.reasoningModel = quirks.reasoningModels().isEmpty()
                    || quirks.reasoningModels().stream().anyMatch(g -> GLOBS.computeIfAbsent(g, Glob::compile)
                            .matches(model));
        }

        void write(boolean stream) throws IOException {
            if (request.has("context_management")) {
                Dropped.field(FORMAT, "context_management", "context editing is done by Anthropic's API");
            }
            out.writeStartObject();
            out.writeStringField("model", model);
            messages();
            boolean tools = tools();
            if (tools) {
                toolChoice();
            }
            JsonNode maxTokens = request.get("max_tokens");
            if (maxTokens != null && maxTokens.isNumber()) {
                out.writeNumberField(quirks.maxTokensField().field(), quirks.outputLimit(maxTokens.asLong()));
            }
            JsonNode stops = request.get("stop_sequences");
            if (stops != null && stops.isArray() && !stops.isEmpty()) {
                out.writeFieldName("stop");
                out.writeTree(stops);
            }
            if (quirks.sampling() || !reasoningModel) {
                copyNumber("temperature");
                copyNumber("top_p");
            }
            reasoning();
            structuredOutput();
            if (stream) {
                out.writeBooleanField("stream", true);
                if (quirks.streamUsage()) {
                    out.writeObjectFieldStart("stream_options");
                    out.writeBooleanField("include_usage", true);
                    out.writeEndObject();
                }
            }
            out.writeEndObject();
        }

        /**
         * A cache mark as OpenRouter-style upstreams take it: {@code {"type": "ephemeral"}}; Anthropic's {@code ttl}
         * (one-hour caching) is left out.
         */
        private static JsonNode cacheMark(JsonNode mark) {
            if (!mark.isObject() || !mark.has("ttl")) {
                return mark;
            }
            Dropped.field(FORMAT, "cache_control.ttl", "the upstream's cache has its own lifetime");
            com.fasterxml.jackson.databind.node.ObjectNode copy = mark.deepCopy();
            copy.remove("ttl");
            return copy;
        }

        private void copyNumber(String field) throws IOException {
            JsonNode value = request.get(field);
            if (value != null && value.isNumber()) {
                out.writeFieldName(field);
                out.writeTree(value);
            }
        }

        private void messages() throws IOException {
            JsonNode messages = AnthropicRequests.messages(request);
            out.writeArrayFieldStart("messages");
            JsonNode system = request.get("system");
            if (system != null && !system.isNull()) {
                systemMessage(AnthropicRequests.blocks(system, "system"));
            }
            for (int i = 0; i < messages.size(); i++) {
                JsonNode message = messages.get(i);
                String where = "messages." + i;
                String role = message.path("role").asText();
                List<JsonNode> blocks = AnthropicRequests.blocks(message.get("content"), where);
                switch (role) {
                    case "user" -> userTurn(blocks, where);
                    case "assistant" -> assistantTurn(blocks, where);
                    case "system" -> systemMessage(blocks);
                    default ->
                        throw ApiException.invalidRequest(
                                where + ".role: expected user, assistant or system, got \"" + role + "\"");
                }
            }
            out.writeEndArray();
        }

        private void systemMessage(List<JsonNode> blocks) throws IOException {
            if (blocks.isEmpty()) {
                return;
            }
            out.writeStartObject();
            out.writeStringField("role", "system");
            textContent(blocks);
            out.writeEndObject();
        }

        /** Text as a plain string (every compatible server takes it), or parts when cache marks must survive. */
        private void textContent(List<JsonNode> blocks) throws IOException {
            if (quirks.cacheControl() && blocks.stream().anyMatch(b -> b.has("cache_control"))) {
                out.writeArrayFieldStart("content");
                for (JsonNode block : blocks) {
                    if ("text".equals(block.path("type").asText())) {
                        textPart(block);
                    }
                }
                out.writeEndArray();
            } else {
                out.writeFieldName("content");
                JsonText.writeJoined(out, "", AnthropicRequests.texts(blocks), AnthropicRequests.TEXT_SEPARATOR);
            }
        }

        private void textPart(JsonNode block) throws IOException {
            out.writeStartObject();
            out.writeStringField("type", "text");
            JsonText.writeField(out, "text", block.path("text"));
            if (quirks.cacheControl() && block.has("cache_control")) {
                out.writeFieldName("cache_control");
                out.writeTree(cacheMark(block.get("cache_control")));
            }
            out.writeEndObject();
        }

        private void userTurn(List<JsonNode> blocks, String where) throws IOException {
            List<JsonNode> rest = new ArrayList<>();
            for (int i = 0; i < blocks.size(); i++) {
                JsonNode block = blocks.get(i);
                String type = block.path("type").asText();
                switch (type) {
                    case "tool_result" -> toolMessage(block, rest, where + ".content." + i);
                    case "text", "image", "document" -> rest.add(block);
                    default -> {
                        if (!AnthropicRequests.anthropicOnly(type)) {
                            throw AnthropicRequests.unsupported(type, where + ".content." + i, "OpenAI-format");
                        }
                    }
                }
            }
            if (rest.isEmpty()) {
                return;
            }
            out.writeStartObject();
            out.writeStringField("role", "user");
            boolean onlyText =
                    rest.stream().allMatch(b -> "text".equals(b.path("type").asText()));
            if (onlyText) {
                textContent(rest);
            } else {
                out.writeArrayFieldStart("content");
                for (int i = 0; i < rest.size(); i++) {
                    part(rest.get(i), where);
                }
                out.writeEndArray();
            }
            out.writeEndObject();
        }

        private void part(JsonNode block, String where) throws IOException {
            switch (block.path("type").asText()) {
                case "text" -> textPart(block);
                case "image" -> {
                    out.writeStartObject();
                    out.writeStringField("type", "image_url");
                    out.writeObjectFieldStart("image_url");
                    out.writeFieldName("url");
                    dataUrl(block.path("source"), where);
                    out.writeEndObject();
                    out.writeEndObject();
                }
                case "document" -> document(block, where);
                default ->
                    throw AnthropicRequests.unsupported(block.path("type").asText(), where, "OpenAI-format");
            }
        }

        private void document(JsonNode block, String where) throws IOException {
            JsonNode source = block.path("source");
            String sourceType = source.path("type").asText();
            if (sourceType.equals("text")) {
                out.writeStartObject();
                out.writeStringField("type", "text");
                JsonText.writeField(out, "text", source.path("data"));
                out.writeEndObject();
                return;
            }
            out.writeStartObject();
            out.writeStringField("type", "file");
            out.writeObjectFieldStart("file");
            out.writeStringField("filename", block.path("title").asText("document.pdf"));
            out.writeFieldName("file_data");
            dataUrl(source, where);
            out.writeEndObject();
            out.writeEndObject();
        }

        /** Base64 media as a data URL, its payload copied as bytes: images are the largest strings in a request. */
        private void dataUrl(JsonNode source, String where) throws IOException {
            switch (source.path("type").asText()) {
                case "base64" ->
                    JsonText.writeJoined(
                            out,
                            "data:" + source.path("media_type").asText() + ";base64,",
                            List.of(source.path("data")),
                            "");
                case "url" -> JsonText.write(out, source.path("url"));
                default ->
                    throw ApiException.invalidRequest(
                            where + ".source.type: expected base64 or url for an OpenAI-format endpoint");
            }
        }

        /**
         * A tool result as a {@code role: tool} message. OpenAI tool messages carry text only, so images in a result
         * go to the user message that follows, introduced by a line naming the call they came from.
         */
        private void toolMessage(JsonNode block, List<JsonNode> rest, String where) throws IOException {
            String id = block.path("tool_use_id").asText();
            if (id.isEmpty()) {
                throw ApiException.invalidRequest(where + ".tool_use_id: field required");
            }
            List<JsonNode> content = AnthropicRequests.blocks(block.get("content"), where);
            boolean images = false;
            for (JsonNode part : content) {
                String type = part.path("type").asText();
                if (type.equals("image") || type.equals("document")) {
                    if (!images) {
                        rest.add(com.fasterxml.jackson.databind.node.JsonNodeFactory.instance
                                .objectNode()
                                .put("type", "text")
                                .put("text", "(attachment from tool result " + id + ")"));
                        images = true;
                    }
                    rest.add(part);
                }
            }
            out.writeStartObject();
            out.writeStringField("role", "tool");
            out.writeStringField("tool_call_id", id);
            out.writeFieldName("content");
            JsonText.writeJoined(
                    out,
                    block.path("is_error").asBoolean(false) ? "Error: " : "",
                    AnthropicRequests.texts(content),
                    AnthropicRequests.TEXT_SEPARATOR);
            out.writeEndObject();
        }

        private void assistantTurn(List<JsonNode> blocks, String where) throws IOException {
            List<JsonNode> text = new ArrayList<>();
            List<JsonNode> reasoning = new ArrayList<>();
            List<JsonNode> calls = new ArrayList<>();
            for (int i = 0; i < blocks.size(); i++) {
                JsonNode block = blocks.get(i);
                String type = block.path("type").asText();
                switch (type) {
                    case "text" -> text.add(block.path("text"));
                    case "thinking" -> reasoning.add(block.path("thinking"));
                    case "tool_use" -> calls.add(block);
                    default -> {
                        if (!AnthropicRequests.anthropicOnly(type)) {
                            throw AnthropicRequests.unsupported(type, where + ".content." + i, "OpenAI-format");
                        }
                    }
                }
            }
            if (text.isEmpty() && calls.isEmpty() && reasoning.isEmpty()) {
                return;
            }
            out.writeStartObject();
            out.writeStringField("role", "assistant");
            if (text.isEmpty() && !calls.isEmpty()) {
                out.writeNullField("content");
            } else {
                out.writeFieldName("content");
                JsonText.writeJoined(out, "", text, "");
            }
            if (quirks.sendReasoningBack() && !reasoning.isEmpty()) {
                out.writeFieldName("reasoning_content");
                JsonText.writeJoined(out, "", reasoning, "");
            }
            if (!calls.isEmpty()) {
                out.writeArrayFieldStart("tool_calls");
                for (JsonNode call : calls) {
                    out.writeStartObject();
                    out.writeStringField("id", call.path("id").asText());
                    out.writeStringField("type", "function");
                    out.writeObjectFieldStart("function");
                    out.writeStringField("name", call.path("name").asText());
                    JsonNode input = call.get("input");
                    out.writeStringField("arguments", input == null || input.isNull() ? "{}" : Json.write(input));
                    out.writeEndObject();
                    out.writeEndObject();
                }
                out.writeEndArray();
            }
            out.writeEndObject();
        }

        /**
         * Client tools become functions; Anthropic server tools (web search, code execution) and tools deferred to
         * Anthropic's tool search have no equivalent.
         */
        private boolean tools() throws IOException {
            JsonNode tools = request.get("tools");
            if (tools == null || !tools.isArray()) {
                return false;
            }
            boolean any = false;
            for (JsonNode tool : tools) {
                JsonNode schema = tool.get("input_schema");
                if (schema == null) {
                    continue; // a server tool: checked before translation (ServerTools), the search route drops it
                }
                if (tool.path("defer_loading").asBoolean(false)) {
                    Dropped.field(FORMAT, "tools with defer_loading", "tool search is Anthropic's");
                    continue;
                }
                if (!any) {
                    out.writeArrayFieldStart("tools");
                    any = true;
                }
                out.writeStartObject();
                out.writeStringField("type", "function");
                out.writeObjectFieldStart("function");
                out.writeStringField("name", tool.path("name").asText());
                if (tool.hasNonNull("description")) {
                    JsonText.writeField(out, "description", tool.get("description"));
                }
                out.writeFieldName("parameters");
                out.writeTree(quirks.cleanSchemas() ? SchemaCleaner.clean(schema, schema, 0) : schema);
                out.writeEndObject();
                out.writeEndObject();
            }
            if (any) {
                out.writeEndArray();
            }
            return any;
        }

        private void toolChoice() throws IOException {
            JsonNode choice = request.get("tool_choice");
            if (choice == null || !choice.isObject()) {
                return;
            }
            switch (choice.path("type").asText()) {
                case "auto" -> out.writeStringField("tool_choice", "auto");
                case "any" -> out.writeStringField("tool_choice", "required");
                case "none" -> out.writeStringField("tool_choice", "none");
                case "tool" -> {
                    out.writeObjectFieldStart("tool_choice");
                    out.writeStringField("type", "function");
                    out.writeObjectFieldStart("function");
                    out.writeStringField("name", choice.path("name").asText());
                    out.writeEndObject();
                    out.writeEndObject();
                }
                default ->
                    throw ApiException.invalidRequest("tool_choice.type: expected auto, any, tool or none, got \""
                            + choice.path("type").asText() + "\"");
            }
            if (choice.path("disable_parallel_tool_use").asBoolean(false)) {
                out.writeBooleanField("parallel_tool_calls", false);
            }
        }

        private void reasoning() throws IOException {
            Boolean on = AnthropicRequests.thinkingOn(request);
            if (on == null || !reasoningModel) {
                return;
            }
            switch (quirks.reasoningRequest()) {
                case NONE -> {}
                case REASONING_EFFORT -> {
                    if (on) {
                        out.writeStringField("reasoning_effort", AnthropicRequests.effort(request));
                    }
                }
                case THINKING -> {
                    out.writeObjectFieldStart("thinking");
                    out.writeStringField("type", on ? "enabled" : "disabled");
                    out.writeEndObject();
                }
                case ENABLE_THINKING -> {
                    out.writeBooleanField("enable_thinking", on);
                    JsonNode budget = request.path("thinking").get("budget_tokens");
                    if (on && budget != null && budget.isNumber()) {
                        out.writeNumberField("thinking_budget", budget.asLong());
                    }
                }
                case REASONING -> {
                    out.writeObjectFieldStart("reasoning");
                    if (on) {
                        out.writeStringField("effort", AnthropicRequests.effort(request));
                    } else {
                        out.writeBooleanField("enabled", false);
                    }
                    out.writeEndObject();
                }
            }
        }

        /** {@code output_config.format} (Claude Code's title request) as OpenAI structured output. */
        private void structuredOutput() throws IOException {
            JsonNode format = request.path("output_config").get("format");
            if (!quirks.structuredOutput()
                    || format == null
                    || !"json_schema".equals(format.path("type").asText())) {
                return;
            }
            out.writeObjectFieldStart("response_format");
            out.writeStringField("type", "json_schema");
            out.writeObjectFieldStart("json_schema");
            out.writeStringField("name", "output");
            out.writeFieldName("schema");
            out.writeTree(format.path("schema"));
            out.writeEndObject();
            out.writeEndObject();
        }
    }
}
