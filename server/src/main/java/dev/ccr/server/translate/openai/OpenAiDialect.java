package dev.ccr.server.translate.openai;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ccr.server.config.Endpoint;
import dev.ccr.server.config.Secret;
import dev.ccr.server.error.ApiException;
import dev.ccr.server.translate.AnthropicEvents;
import dev.ccr.server.translate.Dialect;
import dev.ccr.server.translate.StreamTranslator;
import dev.ccr.server.translate.TranslationContext;
import dev.ccr.server.translate.UpstreamCall;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;

/** OpenAI chat completions ({@code POST {baseUrl}/chat/completions}, {@code Authorization: Bearer}). */
public final class OpenAiDialect implements Dialect {
    @Override
    public UpstreamCall request(JsonNode anthropic, Endpoint endpoint, String model, boolean stream) {
        return new UpstreamCall(
                endpoint.url("/chat/completions"),
                OpenAiRequestTranslator.translate(anthropic, model, stream, endpoint.quirks()));
    }

    @Override
    public void authorize(MultiMap headers, Secret key) {
        headers.set("authorization", "Bearer " + key.reveal());
    }

    @Override
    public StreamTranslator streamTranslator(AnthropicEvents out, TranslationContext context) {
        return new OpenAiStreamTranslator(
                out, context, context.endpoint().quirks().streamUsage());
    }

    @Override
    public void response(JsonNode upstream, AnthropicEvents out, TranslationContext context) {
        OpenAiResponseTranslator.translate(upstream, out, context);
    }

    @Override
    public ApiException error(Endpoint endpoint, int status, Buffer body, MultiMap headers) {
        return OpenAiErrors.http(endpoint, status, body, headers);
    }
}
