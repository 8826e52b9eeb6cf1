package dev.ccr.server.observe.log;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.ccr.server.json.Json;
import dev.ccr.server.observe.CapturedBodies;
import dev.ccr.server.observe.PricedRequest;
import dev.ccr.server.observe.RequestRecord;
import dev.ccr.server.observe.redact.Redactor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One request as one line of JSON. Every key is always present (null when unknown), so {@code jq} filters and
 * {@code ccr logs} can rely on the shape; bodies appear only when body logging is on, always redacted.
 */
public final class RequestLogLine {
    private RequestLogLine() {}

    public static byte[] format(PricedRequest priced, Redactor redactor) throws IOException {
        RequestRecord r = priced.record();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(r.bodies() == null ? 640 : 8192);
        try (JsonGenerator json = Json.FACTORY.createGenerator(bytes)) {
            json.writeStartObject();
            json.writeStringField("time", Instant.ofEpochMilli(r.startedAt()).toString());
            json.writeStringField("requestId", r.requestId());
            json.writeStringField("sessionId", r.sessionId());
            json.writeStringField("client", r.client());
            json.writeStringField("operation", r.operation());
            json.writeStringField("requestedModel", r.requestedModel());
            json.writeStringField("route", r.route());
            json.writeStringField("endpoint", r.endpoint());
            json.writeStringField("upstreamModel", r.upstreamModel());
            json.writeNumberField("status", r.status());
            json.writeStringField("errorType", r.errorType());
            json.writeBooleanField("stream", r.stream());
            json.writeNumberField("attempts", r.attempts());
            json.writeStringField("tried", r.attemptTrail());
            json.writeBooleanField("cacheHit", r.cacheHit());
            json.writeNumberField("ttfbMs", r.timeToFirstByteMillis());
            json.writeNumberField("totalMs", r.durationMillis());
            json.writeNumberField("upstreamMs", r.upstreamMillis());
            // Microsecond precision: the router's own share is usually well under a millisecond.
            json.writeNumberField("overheadMs", r.overheadMicros() / 1000.0);
            json.writeNumberField("inputTokens", r.inputTokens());
            json.writeNumberField("outputTokens", r.outputTokens());
            json.writeNumberField("cacheReadTokens", r.cacheReadTokens());
            json.writeNumberField("cacheCreationTokens", r.cacheCreationTokens());
            if (priced.costUsd() == null) {
                json.writeNullField("costUsd");
            } else {
                json.writeNumberField("costUsd", round(priced.costUsd()));
                if (priced.costEstimated()) {
                    json.writeBooleanField("costEstimated", true);
                }
            }
            if (r.bodies() != null) {
                writeBodies(json, r.bodies(), redactor.with(r.bodies().secrets()));
            }
            json.writeEndObject();
        }
        bytes.write('\n');
        return bytes.toByteArray();
    }

    private static void writeBodies(JsonGenerator json, CapturedBodies bodies, Redactor redactor) throws IOException {
        json.writeObjectFieldStart("request");
        writeHeaders(json, bodies.requestHeaders(), redactor);
        json.writeNumberField("bytes", bodies.requestLength());
        json.writeStringField("body", redactor.redact(bodies.requestBody()));
        json.writeEndObject();
        json.writeObjectFieldStart("response");
        writeHeaders(json, bodies.responseHeaders(), redactor);
        json.writeNumberField("bytes", bodies.responseLength());
        json.writeStringField("body", redactor.redact(bodies.responseBody()));
        json.writeEndObject();
    }

    private static void writeHeaders(JsonGenerator json, List<Map.Entry<String, String>> headers, Redactor redactor)
            throws IOException {
        json.writeObjectFieldStart("headers");
        for (Map.Entry<String, String> header : headers) {
            json.writeStringField(
                    header.getKey(),
                    Redactor.isCredentialHeader(header.getKey()) ? Redactor.MASK : redactor.redact(header.getValue()));
        }
        json.writeEndObject();
    }

    /** Micro-dollars are plenty; more digits only suggest a precision the prices do not have. */
    static double round(double usd) {
        return Math.round(usd * 1_000_000) / 1_000_000.0;
    }
}
