package dev.ccr.server.observe;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The bodies and headers of one request and its answer, as sent, kept for the request log when body logging is on
 * (never otherwise: they hold prompts and code). Each body is kept up to a limit. Nothing is redacted yet — that
 * happens on the log's own thread, off the request path — so this object never prints its content, and the secrets it
 * carries for the redactor are never exposed but to it.
 */
public final class CapturedBodies {
    private final int limit;
    private final List<String> secrets;
    private List<Map.Entry<String, String>> requestHeaders = List.of();
    private Buffer requestBody = Buffer.buffer();
    private long requestLength;
    private List<Map.Entry<String, String>> responseHeaders = List.of();
    private final Buffer responseBody = Buffer.buffer();
    private long responseLength;

    /**
     * @param limit how many bytes of each body to keep
     * @param secrets credentials only this request knows (the client's own key), to be redacted with the config's
     */
    public CapturedBodies(int limit, List<String> secrets) {
        this.limit = limit;
        this.secrets = List.copyOf(secrets);
    }

    /** Notes bytes sent to the client, keeping them while under the limit. */
    public void sent(Buffer chunk) {
        responseLength += chunk.length();
        int room = limit - responseBody.length();
        if (room > 0) {
            responseBody.appendBuffer(chunk, 0, Math.min(room, chunk.length()));
        }
    }

    /** Takes the request and the response headers once the exchange is over. */
    public void complete(MultiMap requestHeaders, Buffer requestBody, MultiMap responseHeaders) {
        this.requestHeaders = copy(requestHeaders);
        this.responseHeaders = copy(responseHeaders);
        if (requestBody != null) {
            this.requestLength = requestBody.length();
            this.requestBody = requestBody.getBuffer(0, Math.min(limit, requestBody.length()));
        }
    }

    private static List<Map.Entry<String, String>> copy(MultiMap headers) {
        List<Map.Entry<String, String>> out = new ArrayList<>();
        headers.forEach(h -> out.add(Map.entry(h.getKey(), h.getValue())));
        return List.copyOf(out);
    }

    public List<Map.Entry<String, String>> requestHeaders() {
        return requestHeaders;
    }

    public List<Map.Entry<String, String>> responseHeaders() {
        return responseHeaders;
    }

    public String requestBody() {
        return requestBody.toString();
    }

    public String responseBody() {
        return responseBody.toString();
    }

    public long requestLength() {
        return requestLength;
    }

    public long responseLength() {
        return responseLength;
    }

    /** Secrets for the redactor only. */
    public List<String> secrets() {
        return secrets;
    }

    @Override
    public String toString() {
        return "CapturedBodies[request " + requestLength + " bytes, response " + responseLength + " bytes]";
    }
}
