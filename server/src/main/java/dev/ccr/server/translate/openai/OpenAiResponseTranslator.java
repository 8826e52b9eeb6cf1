package dev.ccr.server.translate.openai;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ccr.server.translate.AnthropicEmitter;
import dev.ccr.server.translate.AnthropicEvents;
import dev.ccr.server.translate.Ids;
import dev.ccr.server.translate.TranslationContext;
import dev.ccr.server.translate.UpstreamErrors;
import dev.ccr.server.translate.Usage;

/** A whole (non-streamed) chat completion as Anthropic events, for {@link dev.ccr.server.translate.MessageAssembler}. */
final class OpenAiResponseTranslator {
    private OpenAiResponseTranslator() {}

    static void translate(JsonNode completion, AnthropicEvents out, TranslationContext context) {
        JsonNode error = completion.get("error");
        if (error != null && !error.isNull()) {
            throw OpenAiErrors.inStream(context.endpoint(), error);
        }
        JsonNode choice = completion.path("choices").path(0);
        if (choice.isMissingNode()) {
            throw UpstreamErrors.malformed(context.endpoint(), "answered without choices");
        }
        JsonNode usageNode = completion.get("usage");
        Usage usage = usageNode != null && usageNode.isObject()
                ? OpenAiUsage.read(usageNode)
                : new Usage(context.inputTokenEstimate(), 0, 0, 0);
        AnthropicEmitter emitter = new AnthropicEmitter(out, context.messageId(), context.model());
        emitter.start(usage);
        JsonNode message = choice.path("message");
        JsonNode reasoning = message.get("reasoning_content");
        if (reasoning == null || !reasoning.isTextual()) {
            reasoning = message.get("reasoning");
        }
        if (reasoning != null && reasoning.isTextual()) {
            emitter.thinking(reasoning.asText());
        }
        if (message.path("content").isTextual()) {
            emitter.text(message.get("content").asText());
        }
        if (message.path("refusal").isTextual()) {
            emitter.text(message.get("refusal").asText()); // a structured-output refusal is the answer's text
        }
        for (JsonNode call : message.path("tool_calls")) {
            String id = call.path("id").asText("");
            emitter.toolUse(
                    id.isEmpty() ? Ids.toolUse() : id,
                    call.path("function").path("name").asText());
            emitter.toolInput(call.path("function").path("arguments").asText(""));
        }
        String stopSequence = OpenAiStopReasons.matchedStop(choice, context.stopSequences());
        String stopReason = stopSequence != null
                ? "stop_sequence"
                : OpenAiStopReasons.map(choice.path("finish_reason").asText("stop"), emitter.toolUsed());
        emitter.finish(stopReason, stopSequence, usage);
    }
}
