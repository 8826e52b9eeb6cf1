package dev.ccr.server.translate;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ccr.server.config.Endpoint;
import dev.ccr.server.config.Secret;
import dev.ccr.server.error.ApiException;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;

/** One upstream wire format the router translates to and from (OpenAI chat completions, Gemini). */
public interface Dialect {
    /**
     * The upstream request for an Anthropic Messages request.
     *
     * @throws ApiException (400) when the request cannot be expressed in this format
     */
    UpstreamCall request(JsonNode anthropic, Endpoint endpoint, String model, boolean stream);

    /** Sets the endpoint's credential in the format's header. */
    void authorize(MultiMap headers, Secret key);

    StreamTranslator streamTranslator(AnthropicEvents out, TranslationContext context);

    /** Translates a whole (non-streamed) upstream answer into events; throws when it is unusable. */
    void response(JsonNode upstream, AnthropicEvents out, TranslationContext context);

    /** The Anthropic-shaped failure for an upstream error answer (status and body in the upstream's shape). */
    ApiException error(Endpoint endpoint, int status, Buffer body, MultiMap headers);
}
