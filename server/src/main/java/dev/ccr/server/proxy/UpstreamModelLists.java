package dev.ccr.server.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.ccr.server.cache.CacheScope;
import dev.ccr.server.config.Endpoint;
import dev.ccr.server.json.Json;
import dev.ccr.server.upstream.EndpointCredentials;
import dev.ccr.server.upstream.UpstreamBodies;
import dev.ccr.server.upstream.Upstreams;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The models an Anthropic-format endpoint lists itself ({@code GET {baseUrl}/models?limit=1000}), for {@code GET
 * /v1/models} when the config names none for it. Asked with the endpoint's key, or the client's own where the endpoint
 * forwards it, within {@link #FETCH_TIMEOUT}: Claude Code's model discovery gives a gateway 3 seconds
 * ({@code CLAUDE_CODE_GATEWAY_MODEL_DISCOVERY_TIMEOUT_MS}, measured in 2.1.332) and must still get an answer. A list is
 * kept for {@link #FRESH_FOR} (each Claude Code session asks once at start) and served stale when a later ask fails.
 */
public final class UpstreamModelLists {
    /** What the upstream gets to answer in; below Claude Code's 3 s so the router can still answer in time. */
    static final Duration FETCH_TIMEOUT = Duration.ofMillis(2_000);

    static final Duration FRESH_FOR = Duration.ofMinutes(10);
    /** A model list is small; anything larger is not one. */
    private static final int MAX_BODY = 4 << 20;

    /** One model as the upstream lists it. */
    public record Listed(String id, String displayName, String createdAt) {}

    private record Cached(List<Listed> models, long fetchedAt) {}

    /** Why a list could not be had, in words for the log and the response header. */
    static final class Unavailable extends RuntimeException {
        Unavailable(String reason) {
            super(reason, null, false, false);
        }
    }

    private final Vertx vertx;
    private final Upstreams upstreams;
    private final EndpointCredentials credentials;
    private final Clock clock;
    /** Bounded: one entry per endpoint and key, and users' own keys are as many as the users. */
    private final Cache<String, Cached> cache =
            Caffeine.newBuilder().maximumSize(1_000).build();

    public UpstreamModelLists(Vertx vertx, Upstreams upstreams, EndpointCredentials credentials, Clock clock) {
        this.vertx = vertx;
        this.upstreams = upstreams;
        this.credentials = credentials;
        this.clock = clock;
    }

    /** The endpoint's own list; fails with a message saying why it could not be had. */
    public Future<List<Listed>> list(Endpoint endpoint, ClientIdentity identity) {
        return credentials.apiKey(endpoint).compose(key -> {
            String credential;
            boolean bearer = false;
            if (key != null) {
                if (!key.isAvailable()) {
                    return Future.failedFuture(new Unavailable(
                            "its apiKey is not usable: " + key.problem().orElse("unknown reason")));
                }
                credential = key.reveal();
            } else if (identity != null && identity.clientKey() != null) {
                credential = identity.clientKey();
                bearer = identity.clientKeyAsBearer();
            } else {
                return Future.failedFuture(
                        new Unavailable("it has no apiKey and the request carried no key of the user's to ask with"));
            }
            // Lists may differ per key (a user's own key forwarded), so each key has its own entry, named by a keyed
            // hash of it: never the key itself, and no 32-bit hash two users' keys could share.
            String cacheKey =
                    endpoint.name() + "|" + endpoint.baseUrl() + "|" + CacheScope.PROCESS.of(null, credential);
            Cached cached = cache.getIfPresent(cacheKey);
            long now = clock.millis();
            if (cached != null && now - cached.fetchedAt() < FRESH_FOR.toMillis()) {
                return Future.succeededFuture(cached.models());
            }
            return fetch(endpoint, credential, bearer)
                    .onSuccess(models -> cache.put(cacheKey, new Cached(models, clock.millis())))
                    .recover(failure ->
                            cached != null ? Future.succeededFuture(cached.models()) : Future.failedFuture(failure));
        });
    }

    private Future<List<Listed>> fetch(Endpoint endpoint, String credential, boolean bearer) {
        MultiMap headers = MultiMap.caseInsensitiveMultiMap();
        Headers.addEndpointHeaders(headers, endpoint);
        headers.set("anthropic-version", "2023-06-01");
        headers.set("accept", "application/json");
        if (bearer) {
            headers.set("authorization", "Bearer " + credential);
        } else {
            headers.set("x-api-key", credential);
        }
        long timeout = FETCH_TIMEOUT.toMillis();
        RequestOptions options = new RequestOptions()
                .setMethod(HttpMethod.GET)
                .setAbsoluteURI(endpoint.url("/models?limit=1000"))
                .setHeaders(headers)
                .setConnectTimeout(timeout)
                .setTimeout(timeout);
        return upstreams
                .client(endpoint)
                .request(options)
                .compose(request -> request.send())
                .compose(response -> UpstreamBodies.read(vertx, response, MAX_BODY, FETCH_TIMEOUT)
                        .compose(body -> response.statusCode() == 200
                                ? parse(body.getBytes())
                                : Future.failedFuture(new Unavailable("it answered HTTP " + response.statusCode()))))
                .timeout(timeout, TimeUnit.MILLISECONDS)
                .recover(failure -> Future.failedFuture(new Unavailable(describe(failure, timeout))));
    }

    private static Future<List<Listed>> parse(byte[] body) {
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(body);
        } catch (java.io.IOException e) {
            return Future.failedFuture(new Unavailable("its answer is not JSON"));
        }
        JsonNode data = root == null ? null : root.get("data");
        if (data == null || !data.isArray()) {
            return Future.failedFuture(new Unavailable("its answer has no data list"));
        }
        List<Listed> models = new ArrayList<>(data.size());
        for (JsonNode model : data) {
            String id = model.path("id").asText("");
            if (!id.isBlank()) {
                models.add(new Listed(
                        id,
                        model.path("display_name").asText(id),
                        model.path("created_at").asText(null)));
            }
        }
        return Future.succeededFuture(models);
    }

    private static String describe(Throwable failure, long timeout) {
        if (failure instanceof Unavailable) {
            return failure.getMessage();
        }
        if (failure instanceof java.util.concurrent.TimeoutException) {
            return "it did not answer within " + timeout + " ms";
        }
        return "it could not be reached (" + failure.getClass().getSimpleName()
                + (failure.getMessage() == null ? "" : ": " + failure.getMessage()) + ")";
    }
}
