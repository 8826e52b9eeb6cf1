package dev.ccr.server.translate.openai;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ccr.server.json.Json;
import dev.ccr.server.sse.SseEvent;
import dev.ccr.server.translate.AnthropicEmitter;
import dev.ccr.server.translate.AnthropicEvents;
import dev.ccr.server.translate.Ids;
import dev.ccr.server.translate.StreamTranslator;
import dev.ccr.server.translate.TranslationContext;
import dev.ccr.server.translate.UpstreamErrors;
import dev.ccr.server.translate.Usage;
import dev.ccr.server.upstream.UpstreamFailures;
import java.util.HashMap;
import java.util.Map;

/**
 * Translates an OpenAI chat completions stream into Anthropic events, chunk by chunk.
 *
 * <p>Tool calls arrive as fragments keyed by {@code index}; the first names the call, the rest carry pieces of its
 * arguments, which become {@code input_json_delta}s. {@code reasoning_content} (DeepSeek, GLM, Qwen, Kimi, vLLM) or
 * {@code reasoning} (OpenRouter, Ollama) becomes a thinking block. The usage chunk ({@code choices: []}) comes after
 * the finish chunk, so only {@code message_delta} waits for it (or for {@code [DONE]}); everything else goes out as it
 * arrives. A stream that ends without a finish reason was cut short and ends in an error.
 */
public final class OpenAiStreamTranslator implements StreamTranslator {
    private final AnthropicEmitter emitter;
    private final TranslationContext context;
    private final boolean usageExpected;
    private final Map<Integer, ToolCall> tools = new HashMap<>();
    private ToolCall openTool;
    /** Text that arrived while a tool call's arguments were still streaming; it follows the call. */
    private final StringBuilder heldText = new StringBuilder();

    private int toolsSeen;
    private String stopReason;
    private String stopSequence;
    private Usage usage;

    /** One tool call being streamed. Its block opens once its name is known; arguments seen before wait. */
    private static final class ToolCall {
        String id;
        String name;
        final StringBuilder pending = new StringBuilder();
        boolean opened;
    }

    /**
     * @param usageExpected whether a usage chunk will follow the finish chunk (the request asked for one)
     */
    public OpenAiStreamTranslator(AnthropicEvents out, TranslationContext context, boolean usageExpected) {
        this.emitter = new AnthropicEmitter(out, context.messageId(), context.model());
        this.context = context;
        this.usageExpected = usageExpected;
    }

    @Override
    public void accept(SseEvent event) {
        String data = event.data();
        if (data.isEmpty() || emitter.finished()) {
            // After message_stop the answer is complete: whatever follows (even garbage) cannot change it, and an
            // error event after message_stop would make the client's stream invalid.
            return;
        }
        if (data.equals("[DONE]")) {
            if (stopReason != null) {
                finish();
            }
            return;
        }
        JsonNode chunk;
        try {
            chunk = Json.MAPPER.readTree(data);
        } catch (Exception e) {
            throw UpstreamErrors.malformed(
                    context.endpoint(), "sent a stream event that is not JSON: " + UpstreamErrors.limit(data));
        }
        accept(chunk);
    }

    /** One parsed chunk. */
    public void accept(JsonNode chunk) {
        if (emitter.finished()) {
            return;
        }
        JsonNode error = chunk.get("error");
        if (error != null && !error.isNull()) {
            throw OpenAiErrors.inStream(context.endpoint(), error);
        }
        start();
        JsonNode reported = chunk.get("usage");
        if (reported != null && reported.isObject()) {
            usage = OpenAiUsage.read(reported);
        }
        JsonNode choices = chunk.path("choices");
        if (!choices.isEmpty()) {
            JsonNode choice = choices.get(0);
            JsonNode choiceUsage = choice.get("usage"); // Moonshot (Kimi) reports it inside the last choice
            if (choiceUsage != null && choiceUsage.isObject()) {
                usage = OpenAiUsage.read(choiceUsage);
            }
            delta(choice.path("delta"));
            JsonNode finish = choice.get("finish_reason");
            if (finish != null && finish.isTextual()) {
                releaseText();
                emitter.close(); // the last block is complete now; only message_delta waits for the usage chunk
                stopReason = OpenAiStopReasons.map(finish.asText(), emitter.toolUsed());
                stopSequence = OpenAiStopReasons.matchedStop(choice, context.stopSequences());
                if (stopSequence != null) {
                    stopReason = "stop_sequence";
                }
            }
        }
        if (stopReason != null && (usage != null || !usageExpected)) {
            finish();
        }
    }

    private void delta(JsonNode delta) {
        if (delta.isMissingNode() || delta.isNull()) {
            return;
        }
        JsonNode reasoning = delta.get("reasoning_content");
        if (reasoning == null || !reasoning.isTextual()) {
            reasoning = delta.get("reasoning");
        }
        if (reasoning != null && reasoning.isTextual()) {
            emitter.thinking(reasoning.asText());
        }
        emitText(delta.get("content"));
        emitText(delta.get("refusal")); // OpenAI's structured-output refusal: the model's answer, in place of content
        JsonNode calls = delta.get("tool_calls");
        if (calls != null && calls.isArray()) {
            for (JsonNode call : calls) {
                toolFragment(call);
            }
        }
    }

    /**
     * Text goes out as it comes, except while a tool call is open: its arguments may still continue (some servers send
     * a newline of content between argument pieces), and a tool_use block cannot be reopened once text closed it. Such
     * text waits until the call is complete.
     */
    private void emitText(JsonNode content) {
        if (content == null || !content.isTextual() || content.asText().isEmpty()) {
            return;
        }
        if (emitter.toolOpen()) {
            heldText.append(content.asText());
        } else {
            emitter.text(content.asText());
        }
    }

    /** The open tool call is complete: the text that waited for it goes out. */
    private void releaseText() {
        if (!heldText.isEmpty()) {
            emitter.text(heldText.toString());
            heldText.setLength(0);
        }
    }

    private void toolFragment(JsonNode fragment) {
        JsonNode function = fragment.path("function");
        String id = text(fragment.get("id"));
        int index;
        if (fragment.has("index")) {
            index = fragment.get("index").asInt();
        } else {
            // Some servers omit the index: a fragment with an id starts a new call, one without continues the last.
            index = id != null || openTool == null ? toolsSeen : toolsSeen - 1;
        }
        ToolCall call = tools.get(index);
        if (call == null) {
            call = new ToolCall();
            tools.put(index, call);
            toolsSeen++;
        } else if (call.opened && call != openTool) {
            throw UpstreamErrors.malformed(
                    context.endpoint(),
                    "interleaved the arguments of parallel tool calls, which cannot be relayed in order");
        } else if (call.opened && !emitter.toolOpen()) {
            // Text or thinking came in between and closed the call's block (found by StreamTranslatorsFuzzTest).
            throw UpstreamErrors.malformed(
                    context.endpoint(),
                    "sent more arguments for a tool call after other content, which cannot be relayed in order");
        }
        if (call.id == null && id != null) {
            call.id = id;
        }
        String name = text(function.get("name"));
        if (call.name == null && name != null && !name.isEmpty()) {
            call.name = name;
        }
        String arguments = text(function.get("arguments"));
        if (!call.opened && call.name != null) {
            releaseText();
            call.opened = true;
            openTool = call;
            emitter.toolUse(call.id != null ? call.id : Ids.toolUse(), call.name);
            emitter.toolInput(call.pending.toString());
        }
        if (arguments != null) {
            if (call.opened) {
                emitter.toolInput(arguments);
            } else {
                call.pending.append(arguments);
            }
        }
    }

    @Override
    public void end() {
        if (emitter.finished()) {
            return;
        }
        if (stopReason != null) {
            finish(); // finish chunk seen, the usage chunk or [DONE] never came: the answer itself is whole
            return;
        }
        releaseText();
        throw UpstreamFailures.cutShort(context.endpoint(), null);
    }

    @Override
    public void start() {
        emitter.start(new Usage(context.inputTokenEstimate(), 0, 0, 0));
    }

    @Override
    public Usage usage() {
        return usage != null ? usage : estimated();
    }

    private void finish() {
        emitter.finish(stopReason, stopSequence, usage());
    }

    /** Without a usage report: the local input count and an output estimate from the characters produced. */
    private Usage estimated() {
        return new Usage(context.inputTokenEstimate(), (emitter.outputChars() + 3) / 4, 0, 0);
    }

    private static String text(JsonNode node) {
        return node != null && node.isTextual() ? node.asText() : null;
    }
}
