package dev.ccr.server.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ccr.server.json.Json;
import dev.ccr.server.translate.AnthropicEmitter;
import dev.ccr.server.translate.MessageAssembler;
import dev.ccr.server.translate.SseEvents;
import dev.ccr.server.translate.Usage;
import io.vertx.core.http.HttpServerResponse;
import java.util.function.BiConsumer;

/**
 * A pretend model, in each wire format, that drives one tool loop: asked to run "the marker command" it calls Bash
 * with {@code echo <marker>}; given the tool's output it answers {@code The command printed <output>}; anything else
 * (Claude Code's side requests) gets a short "ok". Real clients talk to it through the router in end-to-end tests.
 */
public final class ToolLoopModel {
    public static final String PROMPT = "Use Bash to run the marker command, then tell me what it printed.";

    private ToolLoopModel() {}

    private static JsonNode parse(RecordedRequest request) {
        try {
            return Json.MAPPER.readTree(request.bodyText());
        } catch (java.io.IOException e) {
            throw new AssertionError("the router sent a body that is not JSON: " + request.bodyText(), e);
        }
    }

    /** An OpenAI chat completions upstream ({@code POST /v1/chat/completions}). */
    public static BiConsumer<RecordedRequest, HttpServerResponse> openAi(String marker) {
        return (request, response) -> {
            JsonNode body = parse(request);
            JsonNode last = body.path("messages").path(body.path("messages").size() - 1);
            boolean stream = body.path("stream").asBoolean(false);
            ObjectNode delta = Json.object();
            String finish = "stop";
            if (last.path("role").asText().equals("tool")) {
                delta.put(
                        "content",
                        "The command printed " + last.path("content").asText().strip());
            } else if (request.bodyText().contains("marker command")) {
                ArrayNode calls = delta.putArray("tool_calls");
                ObjectNode call = calls.addObject()
                        .put("index", 0)
                        .put("id", "call_marker")
                        .put("type", "function");
                call.putObject("function")
                        .put("name", "Bash")
                        .put("arguments", Json.write(Json.object().put("command", "echo " + marker)));
                finish = "tool_calls";
            } else {
                delta.put("content", "ok");
            }
            ObjectNode usage = Json.object().put("prompt_tokens", 50).put("completion_tokens", 5);
            if (!stream) {
                ObjectNode message = delta.deepCopy().put("role", "assistant");
                ObjectNode completion = Json.object().put("id", "c1").put("object", "chat.completion");
                completion
                        .putArray("choices")
                        .addObject()
                        .put("index", 0)
                        .put("finish_reason", finish)
                        .set("message", message);
                completion.set("usage", usage);
                response.putHeader("content-type", "application/json").end(Json.write(completion));
                return;
            }
            ObjectNode chunk = Json.object().put("id", "c1").put("object", "chat.completion.chunk");
            chunk.putArray("choices").addObject().put("index", 0).set("delta", delta);
            ObjectNode end = Json.object().put("id", "c1").put("object", "chat.completion.chunk");
            end.putArray("choices")
                    .addObject()
                    .put("index", 0)
                    .put("finish_reason", finish)
                    .set("delta", Json.object());
            ObjectNode usageChunk = Json.object().put("id", "c1").put("object", "chat.completion.chunk");
            usageChunk.putArray("choices");
            usageChunk.set("usage", usage);
            response.putHeader("content-type", "text/event-stream")
                    .end("data: " + Json.write(chunk) + "\n\ndata: " + Json.write(end) + "\n\ndata: "
                            + Json.write(usageChunk) + "\n\ndata: [DONE]\n\n");
        };
    }

    /** A Gemini upstream ({@code :streamGenerateContent?alt=sse} or {@code :generateContent}). */
    public static BiConsumer<RecordedRequest, HttpServerResponse> gemini(String marker) {
        return (request, response) -> {
            JsonNode body = parse(request);
            JsonNode contents = body.path("contents");
            JsonNode lastParts = contents.path(contents.size() - 1).path("parts");
            JsonNode functionResponse = lastParts.path(0).path("functionResponse");
            ObjectNode part = Json.object();
            if (!functionResponse.isMissingNode()) {
                part.put(
                        "text",
                        "The command printed "
                                + functionResponse
                                        .path("response")
                                        .path("content")
                                        .asText()
                                        .strip());
            } else if (request.bodyText().contains("marker command")) {
                part.putObject("functionCall")
                        .put("name", "Bash")
                        .set("args", Json.object().put("command", "echo " + marker));
                part.put("thoughtSignature", "gemini-signature-" + marker);
            } else {
                part.put("text", "ok");
            }
            ObjectNode answer = Json.object();
            ObjectNode candidate = answer.putArray("candidates").addObject();
            ArrayNode parts =
                    candidate.putObject("content").put("role", "model").putArray("parts");
            if (part.has("functionCall")) {
                parts.addObject()
                        .put("text", "The user wants the marker command run.")
                        .put("thought", true);
            }
            parts.add(part);
            candidate.put("finishReason", "STOP");
            answer.putObject("usageMetadata").put("promptTokenCount", 50).put("candidatesTokenCount", 5);
            if (request.path().endsWith(":generateContent")) {
                response.putHeader("content-type", "application/json").end(Json.write(answer));
            } else {
                response.putHeader("content-type", "text/event-stream").end("data: " + Json.write(answer) + "\r\n\r\n");
            }
        };
    }

    /** An Anthropic Messages upstream ({@code POST /v1/messages}). */
    public static BiConsumer<RecordedRequest, HttpServerResponse> anthropic(String marker) {
        return (request, response) -> {
            JsonNode body = parse(request);
            JsonNode messages = body.path("messages");
            JsonNode lastContent = messages.path(messages.size() - 1).path("content");
            JsonNode result = null;
            for (JsonNode block : lastContent) {
                if (block.path("type").asText().equals("tool_result")) {
                    result = block;
                }
            }
            boolean stream = body.path("stream").asBoolean(false);
            SseEvents events = new SseEvents();
            MessageAssembler whole = new MessageAssembler();
            AnthropicEmitter emitter = new AnthropicEmitter(
                    stream ? events : whole, "msg_fake", body.path("model").asText());
            emitter.start(new Usage(50, 0, 0, 0));
            String stop = "end_turn";
            if (result != null) {
                JsonNode content = result.path("content");
                String output = content.isTextual()
                        ? content.asText()
                        : content.path(0).path("text").asText();
                emitter.text("The command printed " + output.strip());
            } else if (request.bodyText().contains("marker command")) {
                emitter.toolUse("toolu_marker", "Bash");
                emitter.toolInput(Json.write(Json.object().put("command", "echo " + marker)));
                stop = "tool_use";
            } else {
                emitter.text("ok");
            }
            emitter.finish(stop, null, new Usage(50, 5, 0, 0));
            if (stream) {
                response.putHeader("content-type", "text/event-stream").end(events.drain());
            } else {
                response.putHeader("content-type", "application/json").end(Json.write(whole.message()));
            }
        };
    }
}
