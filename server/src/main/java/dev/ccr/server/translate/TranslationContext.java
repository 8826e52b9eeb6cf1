package dev.ccr.server.translate;

import dev.ccr.server.config.Endpoint;
import java.util.List;

/**
 * What translating one answer needs to know about its request.
 *
 * @param model the model id reported to the client (the upstream model)
 * @param messageId the id of the Anthropic message being built
 * @param inputTokenEstimate the input as the routing scan estimated it, for {@code message_start} when the upstream
 *     reports its own count only at the end
 * @param stopSequences the stop sequences the client asked for, to recognise which one stopped the answer
 */
public record TranslationContext(
        Endpoint endpoint, String model, String messageId, long inputTokenEstimate, List<String> stopSequences) {

    public TranslationContext {
        stopSequences = List.copyOf(stopSequences);
    }
}
