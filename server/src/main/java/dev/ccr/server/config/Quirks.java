package dev.ccr.server.config;

import java.util.List;

/**
 * What the translator must do differently for one upstream: the provider preset with the endpoint's overrides
 * applied. The translators read these flags instead of testing provider names.
 *
 * @param reasoningModels globs; the reasoning request and {@code sampling=false} apply only to matching models (all
 *     models when empty)
 * @param maxOutputTokens the largest output limit the upstream accepts, to which larger requested limits are lowered;
 *     0 for no such limit
 */
public record Quirks(
        MaxTokensField maxTokensField,
        ReasoningRequest reasoningRequest,
        List<String> reasoningModels,
        boolean sendReasoningBack,
        boolean cleanSchemas,
        boolean streamUsage,
        boolean sampling,
        boolean structuredOutput,
        boolean cacheControl,
        int maxOutputTokens) {

    public Quirks {
        reasoningModels = List.copyOf(reasoningModels);
    }

    /** The output limit to ask the upstream for, given what the client asked for. */
    public long outputLimit(long requested) {
        return maxOutputTokens > 0 ? Math.min(requested, maxOutputTokens) : requested;
    }

    /** The preset with the written overrides applied. */
    Quirks with(QuirksConfig overrides) {
        if (overrides == null) {
            return this;
        }
        return new Quirks(
                pick(overrides.maxTokensField(), maxTokensField),
                pick(overrides.reasoningRequest(), reasoningRequest),
                pick(overrides.reasoningModels(), reasoningModels),
                pick(overrides.sendReasoningBack(), sendReasoningBack),
                pick(overrides.cleanSchemas(), cleanSchemas),
                pick(overrides.streamUsage(), streamUsage),
                pick(overrides.sampling(), sampling),
                pick(overrides.structuredOutput(), structuredOutput),
                pick(overrides.cacheControl(), cacheControl),
                pick(overrides.maxOutputTokens(), maxOutputTokens));
    }

    private static <T> T pick(T override, T preset) {
        return override != null ? override : preset;
    }
}
