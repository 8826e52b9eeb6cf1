package dev.ccr.server.translate.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ccr.server.json.Json;
import dev.ccr.server.sse.SseEvent;
import dev.ccr.server.translate.AnthropicEmitter;
import dev.ccr.server.translate.AnthropicEvents;
import dev.ccr.server.translate.StreamTranslator;
import dev.ccr.server.translate.TranslationContext;
import dev.ccr.server.translate.UpstreamErrors;
import dev.ccr.server.translate.Usage;
import dev.ccr.server.upstream.UpstreamFailures;

/**
 * Translates Gemini {@code GenerateContentResponse}s into Anthropic events: each event of a {@code
 * :streamGenerateContent?alt=sse} stream, or a whole {@code :generateContent} answer (same shape, one chunk).
 *
 * <p>Parts map as: {@code thought: true} text to thinking, text to text, {@code functionCall} to a complete tool_use
 * block (Gemini sends calls whole). A {@code thoughtSignature} becomes a thinking block's signature next to the part
 * that carried it: just before it, or after the text block it continued ({@link AnthropicEmitter#textWithSignature}:
 * a part with text and a signature never loses its text); see {@link GeminiRequestTranslator} for the way back.
 * Every chunk carries cumulative {@code usageMetadata}, so {@code message_start} gets the real prompt count.
 */
public final class GeminiStreamTranslator implements StreamTranslator {
    private final AnthropicEmitter emitter;
    private final TranslationContext context;
    private Usage usage;

    public GeminiStreamTranslator(AnthropicEvents out, TranslationContext context) {
        this.emitter = new AnthropicEmitter(out, context.messageId(), context.model());
        this.context = context;
    }

    @Override
    public void accept(SseEvent event) {
        String data = event.data();
        if (data.isEmpty() || emitter.finished()) {
            // After message_stop the answer is complete: whatever follows (even garbage) cannot change it, and an
            // error event after message_stop would make the client's stream invalid.
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

    /** One response chunk (or a whole non-streamed response). */
    public void accept(JsonNode chunk) {
        if (emitter.finished()) {
            return;
        }
        JsonNode error = chunk.get("error");
        if (error != null && !error.isNull()) {
            throw GeminiErrors.inStream(context.endpoint(), error);
        }
        JsonNode metadata = chunk.get("usageMetadata");
        if (metadata != null && metadata.isObject()) {
            usage = Usage.fromInclusivePrompt(
                    metadata.path("promptTokenCount").asLong(0),
                    metadata.path("cachedContentTokenCount").asLong(0),
                    metadata.path("candidatesTokenCount").asLong(0)
                            + metadata.path("thoughtsTokenCount").asLong(0));
        }
        start();
        JsonNode candidate = chunk.path("candidates").path(0);
        if (candidate.isMissingNode()) {
            String blocked = chunk.path("promptFeedback").path("blockReason").asText(null);
            if (blocked != null) {
                emitter.finish("refusal", null, usage());
            }
            return;
        }
        for (JsonNode part : candidate.path("content").path("parts")) {
            part(part);
        }
        String finishReason = candidate.path("finishReason").asText(null);
        if (finishReason != null) {
            emitter.finish(GeminiStopReasons.map(context.endpoint(), finishReason, emitter.toolUsed()), null, usage());
        }
    }

    private void part(JsonNode part) {
        String signature = part.path("thoughtSignature").asText(null);
        JsonNode call = part.get("functionCall");
        if (part.path("thought").asBoolean(false)) {
            emitter.thinking(part.path("text").asText(""));
            emitter.signature(signature);
        } else if (call != null && call.isObject()) {
            emitter.signature(signature);
            emitter.toolUse(SignedToolIds.create(signature), call.path("name").asText());
            JsonNode args = call.get("args");
            emitter.toolInput(args != null && args.isObject() ? Json.write(args) : "{}");
        } else if (part.has("text")) {
            emitter.textWithSignature(part.path("text").asText(""), signature);
        } else {
            emitter.signature(signature);
        }
    }

    @Override
    public void end() {
        if (!emitter.finished()) {
            throw UpstreamFailures.cutShort(context.endpoint(), null);
        }
    }

    @Override
    public void start() {
        // The prompt count is known from the first chunk; output starts at zero, as in Anthropic's message_start.
        emitter.start(
                usage != null && usage.input() + usage.cacheRead() > 0
                        ? new Usage(usage.input(), 0, usage.cacheRead(), 0)
                        : estimate());
    }

    @Override
    public Usage usage() {
        return usage != null ? usage : estimate();
    }

    private Usage estimate() {
        return new Usage(context.inputTokenEstimate(), 0, 0, 0);
    }
}
