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
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * A pretend model that plays the Claude Code CLI scenarios in any of the three wire formats (Anthropic Messages,
 * OpenAI chat completions, Gemini), so one test can run each scenario through each kind of endpoint. Markers in the
 * prompt pick the answer:
 *
 * <ul>
 *   <li>none: {@value #PLAIN_ANSWER};
 *   <li>{@code [think]}: a thinking block ({@value #THINKING}, with a signature where the format has one), then text;
 *   <li>{@code [tool]}: a Bash call that echoes {@value #TOOL_MARKER}; given its output, {@code The commands printed:
 *       <output>} (several outputs sorted, comma-separated);
 *   <li>{@code [parallel]}: two Bash calls in one answer, echoing {@value #PARALLEL_A} and {@value #PARALLEL_B};
 *   <li>{@code [agent]}: a call of Claude Code's Agent tool (Task in older versions), whose subagent is asked {@value
 *       #SUBAGENT_PROMPT}.
 * </ul>
 *
 * Requests without a marker (Claude Code's side requests) get the plain answer, or {@value #STRUCTURED_ANSWER} when
 * they ask for JSON (a session title's structured output). Streams are written the way each
 * upstream frames them; whole answers when the request asks for none.
 */
public final class ScenarioModel implements BiConsumer<RecordedRequest, HttpServerResponse> {
    public static final String PLAIN_ANSWER = "Hello from the scenario upstream.";
    public static final String THINKING = "The user wants a command run; Bash can echo the marker.";
    public static final String THOUGHT_ANSWER = "Thought about it.";
    public static final String SIGNATURE = "EqQBCkYIBxgCKkBzY2VuYXJpby1zaWduYXR1cmU=";
    public static final String TOOL_MARKER = "ccr-scenario-tool-ok";
    public static final String PARALLEL_A = "ccr-parallel-a";
    public static final String PARALLEL_B = "ccr-parallel-b";
    public static final String RESULT_PREFIX = "The commands printed: ";
    public static final String SUBAGENT_PROMPT = "Say hello from the subagent.";
    public static final String STRUCTURED_ANSWER = "{\"title\":\"Scenario session\"}";
    private static final java.util.concurrent.atomic.AtomicLong MESSAGES = new java.util.concurrent.atomic.AtomicLong();

    /** The wire format this model speaks. */
    public enum Format {
        ANTHROPIC,
        OPENAI,
        GEMINI
    }

    /** One block of an answer, independent of the format. */
    private interface Block {}

    private record Thinking(String text, String signature) implements Block {}

    private record Text(String text) implements Block {}

    private record Call(String id, String name, ObjectNode input) implements Block {
        static Call bash(String id, String command) {
            return new Call(id, "Bash", Json.object().put("command", command).put("description", "Echo a marker"));
        }
    }

    private final Format format;

    public ScenarioModel(Format format) {
        this.format = format;
    }

    @Override
    public void accept(RecordedRequest request, HttpServerResponse response) {
        JsonNode body;
        try {
            body = Json.MAPPER.readTree(request.bodyText());
        } catch (java.io.IOException e) {
            response.setStatusCode(400).end("not JSON");
            return;
        }
        Conversation conversation =
                switch (format) {
                    case ANTHROPIC -> anthropicConversation(body);
                    case OPENAI -> openAiConversation(body);
                    case GEMINI -> geminiConversation(body);
                };
        List<Block> answer = answer(conversation);
        boolean stream =
                switch (format) {
                    case GEMINI -> !request.path().endsWith(":generateContent");
                    default -> body.path("stream").asBoolean(false);
                };
        switch (format) {
            case ANTHROPIC -> writeAnthropic(response, body.path("model").asText(), answer, stream);
            case OPENAI -> writeOpenAi(response, answer, stream);
            case GEMINI -> writeGemini(response, answer, stream);
        }
    }

    /**
     * What the model reads: the first user text (where the markers are), the tool outputs it was just given, and the
     * names of the tools it may call.
     */
    private record Conversation(
            String prompt, List<String> toolOutputs, List<String> tools, boolean json, boolean answeredBefore) {
        Conversation(String prompt, List<String> toolOutputs) {
            this(prompt, toolOutputs, List.of(), false, false);
        }
    }

    private static List<Block> answer(Conversation conversation) {
        List<Block> blocks = new ArrayList<>();
        String prompt = conversation.prompt();
        boolean tools = prompt.contains("[tool]") || prompt.contains("[parallel]") || prompt.contains("[agent]");
        if (!conversation.toolOutputs().isEmpty()) {
            // Sorted: Claude Code returns parallel results in the order the commands finished.
            List<String> outputs = conversation.toolOutputs().stream()
                    .map(String::strip)
                    .sorted()
                    .toList();
            blocks.add(new Text(RESULT_PREFIX + String.join(", ", outputs)));
            return blocks;
        }
        if (conversation.answeredBefore()) {
            // A later turn of a conversation whose markers were acted on (a subagent's notification, a compaction):
            // the markers must not start the same work again.
            blocks.add(new Text(PLAIN_ANSWER));
            return blocks;
        }
        if (prompt.contains("[think]")) {
            blocks.add(new Thinking(THINKING, SIGNATURE));
        }
        if (prompt.contains("[agent]")) {
            String tool = conversation.tools().contains("Agent") ? "Agent" : "Task";
            blocks.add(new Call(
                    "toolu_agent",
                    tool,
                    Json.object()
                            .put("description", "Say hello")
                            .put("prompt", SUBAGENT_PROMPT)
                            .put("subagent_type", "general-purpose")));
        } else if (prompt.contains("[parallel]")) {
            blocks.add(Call.bash("toolu_par_a", "echo " + PARALLEL_A));
            blocks.add(Call.bash("toolu_par_b", "echo " + PARALLEL_B));
        } else if (prompt.contains("[tool]")) {
            blocks.add(Call.bash("toolu_scenario", "echo " + TOOL_MARKER));
        } else if (prompt.contains("[think]")) {
            blocks.add(new Text(THOUGHT_ANSWER));
        }
        if (!tools && !prompt.contains("[think]")) {
            blocks.add(new Text(conversation.json() ? STRUCTURED_ANSWER : PLAIN_ANSWER));
        }
        return blocks;
    }

    private static boolean calls(List<Block> answer) {
        return answer.stream().anyMatch(Call.class::isInstance);
    }

    // --- reading each format's conversation ---

    private static Conversation anthropicConversation(JsonNode body) {
        JsonNode messages = body.path("messages");
        String prompt = "";
        for (JsonNode message : messages) {
            if (message.path("role").asText().equals("user")) {
                prompt = text(message.path("content"), "text");
                break;
            }
        }
        List<String> outputs = new ArrayList<>();
        JsonNode last = messages.path(messages.size() - 1);
        if (last.path("role").asText().equals("user")) {
            for (JsonNode block : last.path("content")) {
                if (block.path("type").asText().equals("tool_result")) {
                    outputs.add(text(block.path("content"), "text"));
                }
            }
        }
        List<String> tools = new ArrayList<>();
        body.path("tools").forEach(tool -> tools.add(tool.path("name").asText()));
        boolean json = body.path("output_config").path("format").isObject();
        boolean answeredBefore = false;
        for (JsonNode message : messages) {
            answeredBefore |= message.path("content").toString().contains("\"tool_result\"");
        }
        return new Conversation(prompt, outputs, tools, json, answeredBefore && outputs.isEmpty());
    }

    private static Conversation openAiConversation(JsonNode body) {
        JsonNode messages = body.path("messages");
        String prompt = "";
        for (JsonNode message : messages) {
            if (message.path("role").asText().equals("user")) {
                prompt = text(message.path("content"), "text");
                break;
            }
        }
        List<String> outputs = new ArrayList<>();
        for (int i = messages.size() - 1; i >= 0; i--) {
            JsonNode message = messages.get(i);
            String role = message.path("role").asText();
            if (role.equals("tool")) {
                outputs.add(0, message.path("content").asText());
            } else if (!role.equals("user") || !outputs.isEmpty()) {
                break;
            }
        }
        return new Conversation(prompt, outputs);
    }

    private static Conversation geminiConversation(JsonNode body) {
        JsonNode contents = body.path("contents");
        String prompt = "";
        for (JsonNode content : contents) {
            if (content.path("role").asText().equals("user")) {
                prompt = text(content.path("parts"), "text");
                break;
            }
        }
        List<String> outputs = new ArrayList<>();
        for (JsonNode part : contents.path(contents.size() - 1).path("parts")) {
            JsonNode response = part.path("functionResponse").path("response");
            if (!response.isMissingNode()) {
                outputs.add(
                        response.path("content").asText(response.path("error").asText()));
            }
        }
        return new Conversation(prompt, outputs);
    }

    private static String text(JsonNode content, String field) {
        if (content.isTextual()) {
            return content.asText();
        }
        StringBuilder out = new StringBuilder();
        for (JsonNode block : content) {
            if (block.has(field) && block.get(field).isTextual()) {
                out.append(block.get(field).asText()).append('\n');
            }
        }
        return out.toString();
    }

    // --- writing each format's answer ---

    private static void writeAnthropic(HttpServerResponse response, String model, List<Block> answer, boolean stream) {
        SseEvents events = new SseEvents();
        MessageAssembler whole = new MessageAssembler();
        // A new id per answer, as the API gives: Claude Code groups a conversation's turns by message id.
        AnthropicEmitter emitter =
                new AnthropicEmitter(stream ? events : whole, "msg_scenario_" + MESSAGES.incrementAndGet(), model);
        emitter.start(new Usage(40, 0, 0, 0));
        for (Block block : answer) {
            if (block instanceof Thinking thinking) {
                emitter.thinking(thinking.text());
                emitter.signature(thinking.signature());
            } else if (block instanceof Text text) {
                emitter.text(text.text());
            } else if (block instanceof Call call) {
                emitter.toolUse(call.id(), call.name());
                emitter.toolInput(call.input().toString());
            }
        }
        emitter.finish(calls(answer) ? "tool_use" : "end_turn", null, new Usage(40, 12, 0, 0));
        if (stream) {
            response.putHeader("content-type", "text/event-stream").end(events.drain());
        } else {
            response.putHeader("content-type", "application/json").end(Json.write(whole.message()));
        }
    }

    private static void writeOpenAi(HttpServerResponse response, List<Block> answer, boolean stream) {
        String finish = calls(answer) ? "tool_calls" : "stop";
        ObjectNode usage = Json.object().put("prompt_tokens", 40).put("completion_tokens", 12);
        if (!stream) {
            ObjectNode message = Json.object().put("role", "assistant");
            StringBuilder text = new StringBuilder();
            ArrayNode toolCalls = Json.MAPPER.createArrayNode();
            for (Block block : answer) {
                if (block instanceof Thinking thinking) {
                    message.put("reasoning_content", thinking.text());
                } else if (block instanceof Text t) {
                    text.append(t.text());
                } else if (block instanceof Call call) {
                    toolCalls.add(openAiCall(call, -1));
                }
            }
            message.put("content", text.isEmpty() ? null : text.toString());
            if (!toolCalls.isEmpty()) {
                message.set("tool_calls", toolCalls);
            }
            ObjectNode completion = Json.object().put("id", "chatcmpl-scenario").put("object", "chat.completion");
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
        StringBuilder out = new StringBuilder();
        int index = 0;
        for (Block block : answer) {
            ObjectNode delta = Json.object();
            if (block instanceof Thinking thinking) {
                delta.put("reasoning_content", thinking.text());
            } else if (block instanceof Text text) {
                delta.put("content", text.text());
            } else if (block instanceof Call call) {
                delta.putArray("tool_calls").add(openAiCall(call, index++));
            }
            out.append(openAiChunk(delta, null, null));
        }
        out.append(openAiChunk(Json.object(), finish, null));
        out.append(openAiChunk(null, null, usage));
        out.append("data: [DONE]\n\n");
        response.putHeader("content-type", "text/event-stream").end(out.toString());
    }

    private static ObjectNode openAiCall(Call call, int index) {
        ObjectNode tool = Json.object();
        if (index >= 0) {
            tool.put("index", index);
        }
        tool.put("id", call.id()).put("type", "function");
        tool.putObject("function").put("name", call.name()).put("arguments", Json.write(call.input()));
        return tool;
    }

    private static String openAiChunk(ObjectNode delta, String finish, ObjectNode usage) {
        ObjectNode chunk = Json.object().put("id", "chatcmpl-scenario").put("object", "chat.completion.chunk");
        ArrayNode choices = chunk.putArray("choices");
        if (delta != null) {
            ObjectNode choice = choices.addObject().put("index", 0);
            choice.set("delta", delta);
            if (finish != null) {
                choice.put("finish_reason", finish);
            } else {
                choice.putNull("finish_reason");
            }
        }
        if (usage != null) {
            chunk.set("usage", usage);
        }
        return "data: " + Json.write(chunk) + "\n\n";
    }

    /**
     * Gemini: thoughts as {@code thought: true} parts; the signature on the first part after them (a function call or
     * the text), as Gemini sends it; each part its own chunk when streaming.
     */
    private static void writeGemini(HttpServerResponse response, List<Block> answer, boolean stream) {
        List<ObjectNode> parts = new ArrayList<>();
        String signature = null;
        for (Block block : answer) {
            if (block instanceof Thinking thinking) {
                parts.add(Json.object().put("text", thinking.text()).put("thought", true));
                signature = thinking.signature();
                continue;
            }
            if (block instanceof Text text) {
                // As Gemini streams it: the first piece of the text carries the signature, the rest follows.
                int split = text.text().indexOf(' ') + 1;
                if (signature != null && split > 0) {
                    parts.add(signed(Json.object().put("text", text.text().substring(0, split)), signature));
                    parts.add(Json.object().put("text", text.text().substring(split)));
                } else {
                    parts.add(signed(Json.object().put("text", text.text()), signature));
                }
            } else if (block instanceof Call call) {
                ObjectNode part = Json.object();
                part.putObject("functionCall").put("name", call.name()).set("args", call.input());
                parts.add(signed(part, signature));
            }
            signature = null;
        }
        ObjectNode usage = Json.object().put("promptTokenCount", 40).put("candidatesTokenCount", 12);
        if (!stream) {
            ObjectNode whole = geminiChunk(parts, "STOP", usage);
            response.putHeader("content-type", "application/json").end(Json.write(whole));
            return;
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < parts.size(); i++) {
            boolean last = i == parts.size() - 1;
            out.append("data: ")
                    .append(Json.write(geminiChunk(List.of(parts.get(i)), last ? "STOP" : null, usage)))
                    .append("\r\n\r\n");
        }
        response.putHeader("content-type", "text/event-stream").end(out.toString());
    }

    private static ObjectNode signed(ObjectNode part, String signature) {
        return signature == null ? part : part.put("thoughtSignature", signature);
    }

    private static ObjectNode geminiChunk(List<ObjectNode> parts, String finish, ObjectNode usage) {
        ObjectNode chunk = Json.object();
        ObjectNode candidate = chunk.putArray("candidates").addObject();
        ArrayNode array = candidate.putObject("content").put("role", "model").putArray("parts");
        parts.forEach(array::add);
        if (finish != null) {
            candidate.put("finishReason", finish);
        }
        chunk.set("usageMetadata", usage);
        return chunk;
    }
}
