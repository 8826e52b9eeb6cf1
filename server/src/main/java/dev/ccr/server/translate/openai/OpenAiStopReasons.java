package dev.ccr.server.translate.openai;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** {@code finish_reason} in Anthropic's words. */
final class OpenAiStopReasons {
    private OpenAiStopReasons() {}

    static String map(String finishReason, boolean toolUsed) {
        return switch (finishReason) {
            case "length" -> "max_tokens";
            case "tool_calls", "function_call" -> "tool_use";
            case "content_filter" -> "refusal";
            // Some servers say "stop" after tool calls; Claude Code runs tools only on tool_use.
            default -> toolUsed ? "tool_use" : "end_turn";
        };
    }

    /**
     * The stop sequence that ended the answer, when the server says which: vLLM and others put the matched string
     * in {@code stop_reason}. OpenAI itself reports only {@code stop}, which reads as end_turn.
     */
    static String matchedStop(JsonNode choice, List<String> requested) {
        JsonNode matched = choice.get("stop_reason");
        if (matched != null && matched.isTextual() && requested.contains(matched.asText())) {
            return matched.asText();
        }
        return null;
    }
}
