package dev.ccr.server.translate;

/**
 * Token usage in Anthropic's terms (docs/TRANSLATION.md): {@code input} excludes cache reads, which are counted separately;
 * {@code output} includes thinking. Upstreams that count differently are normalised into this.
 */
public record Usage(long input, long output, long cacheRead, long cacheCreation) {
    public static final Usage NONE = new Usage(0, 0, 0, 0);

    /** From a prompt count that includes cached tokens (OpenAI's and Gemini's convention). */
    public static Usage fromInclusivePrompt(long prompt, long cached, long output) {
        long cacheRead = Math.max(0, Math.min(cached, prompt));
        return new Usage(Math.max(0, prompt - cacheRead), Math.max(0, output), cacheRead, 0);
    }
}
