package dev.ccr.server.probe;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ccr.protocol.endpoints.AuthCheck;
import dev.ccr.protocol.endpoints.StepState;
import dev.ccr.protocol.endpoints.TestEndpointResult;
import dev.ccr.protocol.endpoints.TestStep;
import dev.ccr.server.config.Endpoint;
import dev.ccr.server.config.Secret;
import dev.ccr.server.config.WireFormat;
import dev.ccr.server.json.Json;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import javax.net.ssl.SSLException;

/**
 * Tests an endpoint with one {@code GET <baseUrl>/models}, authenticated the way the router authenticates real
 * requests to it: whether it answers, how fast, whether it accepts the key, which models it lists. Listing models costs
 * nothing at any provider, unlike a message. Runs on the JDK's HTTP client, so it works whether or not the proxy runs.
 */
public final class EndpointProbe {
    /** How long the whole request may take. */
    public static final Duration TIMEOUT = Duration.ofSeconds(15);

    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    private static final int MAX_BODY = 4 << 20;

    /** Told about each step as it starts and ends. */
    @FunctionalInterface
    public interface Progress {
        Progress NONE = (step, state, message) -> {};

        void step(TestStep step, StepState state, String message);
    }

    private final HttpClient client;

    public EndpointProbe() {
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /**
     * Probes an endpoint.
     *
     * @param key the key to send, or {@code null} to send none
     */
    public CompletableFuture<TestEndpointResult> probe(Endpoint endpoint, Secret key, Progress progress) {
        URI url = modelsUrl(endpoint);
        HttpRequest request = request(endpoint, key, url);
        progress.step(TestStep.CONNECT, StepState.STARTED, "GET " + url);
        long started = System.nanoTime();
        return client.sendAsync(request, HttpResponse.BodyHandlers.ofInputStream())
                .thenApply(response -> {
                    long latency = (System.nanoTime() - started) / 1_000_000;
                    progress.step(
                            TestStep.CONNECT,
                            StepState.SUCCEEDED,
                            "HTTP " + response.statusCode() + " in " + latency + " ms");
                    byte[] body = readCapped(response);
                    return answered(endpoint, key, url, response.statusCode(), latency, body, progress);
                })
                .exceptionally(failure -> {
                    String message =
                            unreachable(url, failure instanceof CompletionException ? failure.getCause() : failure)
                                    + viaProxy(endpoint);
                    progress.step(TestStep.CONNECT, StepState.FAILED, message);
                    progress.step(TestStep.AUTHENTICATE, StepState.SKIPPED, "no answer");
                    progress.step(TestStep.LIST_MODELS, StepState.SKIPPED, "no answer");
                    return new TestEndpointResult(
                            endpoint.name(), false, AuthCheck.UNKNOWN, null, null, List.of(), message);
                });
    }

    private TestEndpointResult answered(
            Endpoint endpoint, Secret key, URI url, int status, long latency, byte[] body, Progress progress) {
        String name = "endpoint \"" + endpoint.name() + "\"";
        String upstreamMessage = redact(errorMessage(body), key);
        AuthCheck auth;
        if (status == 401 || status == 403) {
            auth = AuthCheck.REJECTED;
            progress.step(TestStep.AUTHENTICATE, StepState.FAILED, "HTTP " + status + ": " + upstreamMessage);
            progress.step(TestStep.LIST_MODELS, StepState.SKIPPED, "not authenticated");
            String advice = key == null
                    ? (endpoint.passesThrough()
                            ? "it has no key of its own, so it uses each client's key (only those are checked)"
                            : "it needs a key: add one in the editor, or apiKey in the config")
                    : "check its key";
            return new TestEndpointResult(
                    endpoint.name(),
                    true,
                    key == null && endpoint.passesThrough() ? AuthCheck.NOT_CHECKED : AuthCheck.REJECTED,
                    status,
                    latency,
                    List.of(),
                    name + " answered in " + latency + " ms but refused the request (HTTP " + status + ": "
                            + upstreamMessage + "); " + advice);
        }
        if (status >= 200 && status < 300) {
            auth = key == null ? AuthCheck.NOT_CHECKED : AuthCheck.ACCEPTED;
            progress.step(
                    TestStep.AUTHENTICATE,
                    key == null ? StepState.SKIPPED : StepState.SUCCEEDED,
                    key == null ? "no key sent" : "key accepted");
            List<String> models = models(endpoint.format(), body);
            progress.step(TestStep.LIST_MODELS, StepState.SUCCEEDED, models.size() + " models");
            return new TestEndpointResult(
                    endpoint.name(),
                    true,
                    auth,
                    status,
                    latency,
                    models,
                    name + " answered in " + latency + " ms, "
                            + (key == null ? "without a key, " : "accepted the key ")
                            + (models.isEmpty() ? "and lists no models" : "and lists " + models.size() + " models"));
        }
        progress.step(TestStep.AUTHENTICATE, StepState.SKIPPED, "HTTP " + status + " says nothing about the key");
        progress.step(TestStep.LIST_MODELS, StepState.FAILED, "HTTP " + status);
        String message = status == 404
                ? name + " answered in " + latency + " ms but has no model list at " + url
                        + " (HTTP 404); check that baseUrl ends with the API version, such as /v1"
                : name + " answered HTTP " + status + " in " + latency + " ms: " + upstreamMessage;
        return new TestEndpointResult(endpoint.name(), true, AuthCheck.UNKNOWN, status, latency, List.of(), message);
    }

    static URI modelsUrl(Endpoint endpoint) {
        return URI.create(endpoint.url(
                switch (endpoint.format()) {
                    case ANTHROPIC -> "/models?limit=1000";
                    case GEMINI -> "/models?pageSize=1000";
                    case OPENAI -> "/models";
                }));
    }

    private static HttpRequest request(Endpoint endpoint, Secret key, URI url) {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(url).timeout(TIMEOUT).GET().header("accept", "application/json");
        endpoint.headers().forEach((name, value) -> {
            if (value.isAvailable()) {
                request.setHeader(name, value.reveal());
            }
        });
        if (endpoint.format() == WireFormat.ANTHROPIC) {
            request.setHeader("anthropic-version", "2023-06-01");
        }
        if (key != null && key.isAvailable()) {
            switch (endpoint.format()) {
                case ANTHROPIC -> request.setHeader("x-api-key", key.reveal());
                case GEMINI -> request.setHeader("x-goog-api-key", key.reveal());
                case OPENAI -> request.setHeader("authorization", "Bearer " + key.reveal());
            }
        }
        return request.build();
    }

    /** The model ids a models list names, in the form requests use. */
    static List<String> models(WireFormat format, byte[] body) {
        List<String> models = new ArrayList<>();
        try {
            JsonNode root = Json.MAPPER.readTree(body);
            if (format == WireFormat.GEMINI) {
                root.path("models").forEach(m -> {
                    String name = m.path("name").asText("");
                    if (!name.isEmpty()) {
                        models.add(name.startsWith("models/") ? name.substring("models/".length()) : name);
                    }
                });
            } else {
                root.path("data").forEach(m -> {
                    String id = m.path("id").asText("");
                    if (!id.isEmpty()) {
                        models.add(id);
                    }
                });
            }
        } catch (IOException | RuntimeException e) {
            // not a list we understand: no models
        }
        return models;
    }

    private static byte[] readCapped(HttpResponse<java.io.InputStream> response) {
        try (java.io.InputStream in = response.body()) {
            return in.readNBytes(MAX_BODY);
        } catch (IOException e) {
            return new byte[0];
        }
    }

    /** What an error body says, from the usual shapes of the providers, or a short excerpt. */
    static String errorMessage(byte[] body) {
        try {
            JsonNode root = Json.MAPPER.readTree(body);
            JsonNode error = root.path("error");
            if (error.path("message").isTextual()) {
                return error.path("message").asText();
            }
            if (error.isTextual()) {
                return error.asText();
            }
            if (root.path("message").isTextual()) {
                return root.path("message").asText();
            }
        } catch (IOException | RuntimeException e) {
            // not JSON
        }
        String text = new String(body, java.nio.charset.StandardCharsets.UTF_8)
                .strip()
                .replaceAll("\\s+", " ");
        return text.isEmpty() ? "(empty body)" : text.length() > 200 ? text.substring(0, 200) + "…" : text;
    }

    /** Some providers echo the key they refused; it must not reach the editor's log. */
    private static String redact(String message, Secret key) {
        return key != null && key.isAvailable() && !key.reveal().isEmpty()
                ? message.replace(key.reveal(), "***")
                : message;
    }

    /**
     * The probe connects directly (the JDK's client speaks neither SOCKS nor authenticated CONNECT), so a failure of an
     * endpoint reached through a proxy says so rather than blaming the endpoint.
     */
    private static String viaProxy(Endpoint endpoint) {
        return endpoint.proxy() == null
                ? ""
                : " (this test connects directly; the router's requests go through the proxy " + endpoint.proxy() + ")";
    }

    static String unreachable(URI url, Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String host = url.getHost();
        if (failure instanceof HttpConnectTimeoutException) {
            return "connecting to " + host + " timed out after " + CONNECT_TIMEOUT.toSeconds() + " s; check baseUrl"
                    + " and your network";
        }
        if (failure instanceof HttpTimeoutException) {
            return "no answer from " + url + " within " + TIMEOUT.toSeconds() + " s";
        }
        if (root instanceof UnresolvedAddressException || root instanceof UnknownHostException) {
            return "cannot resolve the host " + host + "; check baseUrl and your network";
        }
        if (root instanceof SSLException) {
            return "TLS handshake with " + host + " failed: " + root.getMessage();
        }
        if (failure instanceof ConnectException || root instanceof ConnectException) {
            return "cannot connect to " + url.getScheme() + "://" + url.getAuthority() + ": connection refused; is the"
                    + " server running?";
        }
        return "request to " + url + " failed: " + (root.getMessage() == null ? root.toString() : root.getMessage());
    }
}
