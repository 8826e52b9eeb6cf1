package dev.ccr.server.translate.gemini;

import dev.ccr.server.config.Endpoint;
import dev.ccr.server.error.ApiException;
import dev.ccr.server.error.ErrorType;

/**
 * Gemini's {@code finishReason} in Anthropic's words. Gemini says {@code STOP} also after function calls, and also
 * when a stop sequence matched (it does not say which), so those read as tool_use and end_turn.
 */
final class GeminiStopReasons {
    private GeminiStopReasons() {}

    static String map(Endpoint endpoint, String finishReason, boolean toolUsed) {
        return switch (finishReason) {
            case "MAX_TOKENS" -> "max_tokens";
            case "SAFETY", "RECITATION", "BLOCKLIST", "PROHIBITED_CONTENT", "SPII", "IMAGE_SAFETY", "LANGUAGE" ->
                "refusal";
            case "MALFORMED_FUNCTION_CALL", "UNEXPECTED_TOOL_CALL", "TOO_MANY_TOOL_CALLS" ->
                // Nothing usable came back; as a 5xx-class error Claude Code retries, which usually succeeds.
                throw new ApiException(
                        ErrorType.API,
                        "endpoint \"" + endpoint.name() + "\": the model produced an unusable function call ("
                                + finishReason + ")");
            default -> toolUsed ? "tool_use" : "end_turn";
        };
    }
}
