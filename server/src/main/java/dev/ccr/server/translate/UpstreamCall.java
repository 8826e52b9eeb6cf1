package dev.ccr.server.translate;

import io.vertx.core.buffer.Buffer;

/** A translated request: where it goes and the body to send. */
public record UpstreamCall(String url, Buffer body) {}
