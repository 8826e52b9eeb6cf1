package dev.ccr.server.translate;

/**
 * Token usage in Anthropic's terms (docs/TRANSLATION.md): {@code input} excludes cache reads, which are counted separately;
 * {@code output} includes thinking. Upstreams that count differently are normalised into this.
 */
public record Usage(long input, long output, long cacheRead, long cacheCreation) {
    public static final Usage NONE = new Usage(0, 0, 0, 0);

    /** From an Anthropic {@code usage} object (a missing count is 0); {@link #NONE} when it is not an object. */
    public static Usage of(com.fasterxml.jackson.databind.JsonNode usage) {
        if (usage == null || !usage.isObject()) {
            return NONE;
        }
        return new Usage(
                usage.path("input_tokens").asLong(),
                usage.path("output_tokens").asLong(),
                usage.path("cache_read_input_tokens").asLong(),
                usage.path("cache_creation_input_tokens").asLong());
    }

    /** From a prompt count that includes cached tokens (OpenAI's and Gemini's convention). */
    public static Usage fromInclusivePrompt(long prompt, long cached, long output) {
        long cacheRead = Math.max(0, Math.min(cached, prompt));
        return new Usage(Math.max(0, prompt - cacheRead), Math.max(0, output), cacheRead, 0);
    }
}
