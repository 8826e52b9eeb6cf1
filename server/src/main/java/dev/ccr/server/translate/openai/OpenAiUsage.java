package dev.ccr.server.translate.openai;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ccr.server.translate.Usage;

/**
 * OpenAI-style usage, normalised. {@code prompt_tokens} includes cached tokens, reported as {@code
 * prompt_tokens_details.cached_tokens} (OpenAI, GLM, vLLM), {@code prompt_cache_hit_tokens} (DeepSeek) or a top-level
 * {@code cached_tokens} (Kimi).
 */
final class OpenAiUsage {
    private OpenAiUsage() {}

    static Usage read(JsonNode usage) {
        long prompt = usage.path("prompt_tokens").asLong(0);
        long completion = usage.path("completion_tokens").asLong(0);
        long cached = usage.path("prompt_tokens_details").path("cached_tokens").asLong(0);
        if (cached == 0) {
            cached = usage.path("prompt_cache_hit_tokens").asLong(0);
        }
        if (cached == 0) {
            cached = usage.path("cached_tokens").asLong(0);
        }
        return Usage.fromInclusivePrompt(prompt, cached, completion);
    }
}
