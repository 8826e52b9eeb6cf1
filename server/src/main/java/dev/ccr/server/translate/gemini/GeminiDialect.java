package dev.ccr.server.translate.gemini;

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
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * Google Gemini: {@code POST {baseUrl}/models/{model}:streamGenerateContent?alt=sse} (or {@code :generateContent}),
 * key in {@code x-goog-api-key} (never in the URL, where logs and proxies would keep it).
 */
public final class GeminiDialect implements Dialect {
    @Override
    public UpstreamCall request(JsonNode anthropic, Endpoint endpoint, String model, boolean stream) {
        String name = model.startsWith("models/") ? model.substring("models/".length()) : model;
        String path = "/models/" + URLEncoder.encode(name, StandardCharsets.UTF_8)
                + (stream ? ":streamGenerateContent?alt=sse" : ":generateContent");
        return new UpstreamCall(endpoint.url(path), GeminiRequestTranslator.translate(anthropic, endpoint.quirks()));
    }

    @Override
    public void authorize(MultiMap headers, Secret key) {
        headers.set("x-goog-api-key", key.reveal());
    }

    @Override
    public StreamTranslator streamTranslator(AnthropicEvents out, TranslationContext context) {
        return new GeminiStreamTranslator(out, context);
    }

    @Override
    public void response(JsonNode upstream, AnthropicEvents out, TranslationContext context) {
        GeminiStreamTranslator translator = new GeminiStreamTranslator(out, context);
        translator.accept(upstream);
        translator.end();
    }

    @Override
    public ApiException error(Endpoint endpoint, int status, Buffer body, MultiMap headers) {
        return GeminiErrors.http(endpoint, status, body, headers);
    }
}
