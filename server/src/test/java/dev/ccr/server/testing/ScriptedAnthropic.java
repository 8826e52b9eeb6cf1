package dev.ccr.server.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ccr.server.json.Json;
import io.vertx.core.http.HttpServerResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * A fake Anthropic Messages API with a tiny scripted "model", good enough for the real Claude Code CLI to hold a
 * conversation with: it answers with text, or asks to run a Bash command and then reports what the command printed,
 * optionally thinking first (with a signature that must come back verbatim on the next turn). Answers stream when the
 * request asks for a stream, as the real API does.
 *
 * <p>The script is chosen by markers in the first user message: {@code [tool]} asks for a tool call, {@code [think]}
 * adds a thinking block.
 */
public final class ScriptedAnthropic implements BiConsumer<RecordedRequest, HttpServerResponse> {
    public static final String TOOL_MARKER = "ccr-tool-ok";
    public static final String SIGNATURE = "EqQBCkYIBxgCKkBzaWduYXR1cmUtZnJvbS10aGUtZmFrZS11cHN0cmVhbQ==";
    public static final String THINKING = "The user wants me to run a command; Bash can echo the marker.";

    private final List<String> signaturesSeen = new ArrayList<>();

    /** Signatures of thinking blocks that came back in later requests, in order. */
    public synchronized List<String> signaturesSeen() {
        return List.copyOf(signaturesSeen);
    }

    @Override
    public void accept(RecordedRequest request, HttpServerResponse response) {
        JsonNode body;
        try {
            body = Json.MAPPER.readTree(request.body().getBytes());
        } catch (Exception e) {
            response.setStatusCode(400)
                    .end("{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\","
                            + "\"message\":\"bad json\"}}");
            return;
        }
        String model = body.path("model").asText("claude");
        JsonNode messages = body.path("messages");
        String firstUserText = firstUserText(messages);
        JsonNode last = messages.isArray() && !messages.isEmpty() ? messages.get(messages.size() - 1) : null;
        String toolResult = toolResultText(last);
        recordSignatures(messages);

        ArrayNode content = Json.MAPPER.createArrayNode();
        String stopReason = "end_turn";
        boolean mainConversation = firstUserText.contains("[tool]") || firstUserText.contains("[think]");
        if (mainConversation && toolResult == null) {
            if (firstUserText.contains("[think]")) {
                content.addObject()
                        .put("type", "thinking")
                        .put("thinking", THINKING)
                        .put("signature", SIGNATURE);
            }
            if (firstUserText.contains("[tool]")) {
                ObjectNode use = content.addObject();
                use.put("type", "tool_use").put("id", "toolu_01ccr").put("name", "Bash");
                use.putObject("input").put("command", "echo " + TOOL_MARKER).put("description", "Print the marker");
                stopReason = "tool_use";
            } else {
                content.addObject().put("type", "text").put("text", "Thought about it.");
            }
        } else if (toolResult != null) {
            content.addObject().put("type", "text").put("text", "The command printed: " + toolResult.strip());
        } else {
            content.addObject().put("type", "text").put("text", "Hello from the scripted upstream.");
        }

        if (body.path("stream").asBoolean(false)) {
            response.setChunked(true).putHeader("content-type", "text/event-stream");
            streamAnswer(response, model, content, stopReason);
        } else {
            ObjectNode message = Json.object();
            message.put("id", "msg_scripted")
                    .put("type", "message")
                    .put("role", "assistant")
                    .put("model", model);
            message.set("content", content);
            message.put("stop_reason", stopReason).putNull("stop_sequence");
            message.putObject("usage").put("input_tokens", 25).put("output_tokens", 12);
            response.putHeader("content-type", "application/json").end(Json.write(message));
        }
    }

    private static void streamAnswer(HttpServerResponse response, String model, ArrayNode content, String stopReason) {
        ObjectNode start = Json.object().put("type", "message_start");
        ObjectNode message = start.putObject("message");
        message.put("id", "msg_scripted")
                .put("type", "message")
                .put("role", "assistant")
                .put("model", model);
        message.putArray("content");
        message.putNull("stop_reason").putNull("stop_sequence");
        message.putObject("usage").put("input_tokens", 25).put("output_tokens", 1);
        response.write(AnthropicSse.frame("message_start", Json.write(start)));
        for (int i = 0; i < content.size(); i++) {
            JsonNode block = content.get(i);
            String type = block.path("type").asText();
            ObjectNode startBlock =
                    Json.object().put("type", "content_block_start").put("index", i);
            ObjectNode empty = startBlock.putObject("content_block").put("type", type);
            switch (type) {
                case "thinking" -> {
                    empty.put("thinking", "").put("signature", "");
                    response.write(AnthropicSse.frame("content_block_start", Json.write(startBlock)));
                    delta(
                            response,
                            i,
                            Json.object().put("type", "thinking_delta").put("thinking", THINKING));
                    delta(
                            response,
                            i,
                            Json.object().put("type", "signature_delta").put("signature", SIGNATURE));
                }
                case "tool_use" -> {
                    empty.put("id", block.get("id").asText())
                            .put("name", block.get("name").asText());
                    empty.putObject("input");
                    response.write(AnthropicSse.frame("content_block_start", Json.write(startBlock)));
                    String input = Json.write(block.get("input"));
                    int half = input.length() / 2;
                    delta(
                            response,
                            i,
                            Json.object()
                                    .put("type", "input_json_delta")
                                    .put("partial_json", input.substring(0, half)));
                    delta(
                            response,
                            i,
                            Json.object().put("type", "input_json_delta").put("partial_json", input.substring(half)));
                }
                default -> {
                    empty.put("text", "");
                    response.write(AnthropicSse.frame("content_block_start", Json.write(startBlock)));
                    delta(
                            response,
                            i,
                            Json.object()
                                    .put("type", "text_delta")
                                    .put("text", block.get("text").asText()));
                }
            }
            response.write(AnthropicSse.frame(
                    "content_block_stop",
                    Json.write(Json.object().put("type", "content_block_stop").put("index", i))));
        }
        ObjectNode messageDelta = Json.object().put("type", "message_delta");
        messageDelta.putObject("delta").put("stop_reason", stopReason).putNull("stop_sequence");
        messageDelta.putObject("usage").put("output_tokens", 12);
        response.write(AnthropicSse.frame("message_delta", Json.write(messageDelta)));
        response.end(AnthropicSse.frame("message_stop", "{\"type\":\"message_stop\"}"));
    }

    private static void delta(HttpServerResponse response, int index, ObjectNode delta) {
        ObjectNode frame = Json.object().put("type", "content_block_delta").put("index", index);
        frame.set("delta", delta);
        response.write(AnthropicSse.frame("content_block_delta", Json.write(frame)));
    }

    private synchronized void recordSignatures(JsonNode messages) {
        for (JsonNode message : messages) {
            if (!"assistant".equals(message.path("role").asText())) {
                continue;
            }
            for (JsonNode block : message.path("content")) {
                if ("thinking".equals(block.path("type").asText())) {
                    signaturesSeen.add(block.path("signature").asText());
                }
            }
        }
    }

    private static String firstUserText(JsonNode messages) {
        for (JsonNode message : messages) {
            if ("user".equals(message.path("role").asText())) {
                return text(message.path("content"));
            }
        }
        return "";
    }

    private static String toolResultText(JsonNode message) {
        if (message == null || !"user".equals(message.path("role").asText())) {
            return null;
        }
        for (JsonNode block : message.path("content")) {
            if ("tool_result".equals(block.path("type").asText())) {
                return text(block.path("content"));
            }
        }
        return null;
    }

    private static String text(JsonNode content) {
        if (content.isTextual()) {
            return content.asText();
        }
        StringBuilder out = new StringBuilder();
        for (JsonNode block : content) {
            if (block.has("text")) {
                out.append(block.get("text").asText()).append('\n');
            }
        }
        return out.toString();
    }
}
