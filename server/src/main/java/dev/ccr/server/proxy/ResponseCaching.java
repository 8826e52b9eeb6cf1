package dev.ccr.server.proxy;

import dev.ccr.server.cache.AnswerRecorder;
import dev.ccr.server.cache.CacheKey;
import dev.ccr.server.cache.CacheKeys;
import dev.ccr.server.cache.CacheReplay;
import dev.ccr.server.cache.CacheScope;
import dev.ccr.server.cache.CachedAnswer;
import dev.ccr.server.cache.ResponseCache;
import dev.ccr.server.config.EffectiveConfig;
import dev.ccr.server.routing.MessagesRequest;
import dev.ccr.server.routing.Route;
import dev.ccr.server.routing.Target;
import io.vertx.core.buffer.Buffer;

/**
 * The response cache on the request path (config {@code cache}): answers a repeated request from the cache, or sets
 * the request up so that its answer is stored if it completes successfully. {@code x-ccr-cache: bypass} on a request
 * skips the lookup (its fresh answer still replaces the stored one); every answer says {@code x-ccr-cache: hit},
 * {@code miss} or {@code bypass} while the cache is on.
 */
public final class ResponseCaching {
    /** An answer bigger than this share of the cache is not kept: it would push out many others. */
    private static final int MAX_ENTRY_SHARE = 8;

    private final ResponseCache cache;

    public ResponseCaching(ResponseCache cache) {
        this.cache = cache;
    }

    /**
     * Answers from the cache on a hit; else prepares the exchange to store its answer and runs {@code miss}. The
     * lookup answers at once from memory, or a moment later from a shared store (team mode).
     */
    void serve(Exchange exchange, MessagesRequest request, Route route, Runnable miss) {
        EffectiveConfig.Cache settings = exchange.config().cache();
        if (!settings.enabled()) {
            miss.run();
            return;
        }
        CacheKey key = CacheKeys.of(
                request.body(),
                scope(exchange.identity()),
                identity(route),
                exchange.request().getHeader("anthropic-beta"));
        if (key == null) {
            miss.run();
            return;
        }
        long maxEntry = settings.maxBytes() / MAX_ENTRY_SHARE;
        if ("bypass".equalsIgnoreCase(exchange.request().getHeader(Exchange.HEADER_CACHE))) {
            exchange.trace().cacheStatus("bypass");
            exchange.record(new AnswerRecorder(cache, key, maxEntry));
            miss.run();
            return;
        }
        cache.get(key).onSuccess(answer -> {
            if (exchange.finished()) {
                return;
            }
            Buffer body = answer == null ? null : CacheReplay.render(answer, request.stream());
            if (body != null) {
                replay(exchange, route, answer, body, request.stream());
                return;
            }
            if (answer != null) {
                cache.invalidate(key);
            }
            exchange.trace().cacheStatus("miss");
            exchange.record(new AnswerRecorder(cache, key, maxEntry));
            miss.run();
        });
    }

    /**
     * Whose answers these are: the router token and the client's own credential (as a keyed hash), so a cached answer
     * goes only to a caller the upstream would have answered the same way.
     */
    private String scope(ClientIdentity identity) {
        CacheScope scope = cache.scope();
        return identity == null ? scope.of(null, null) : scope.of(identity.tokenName(), identity.clientKey());
    }

    private static void replay(Exchange exchange, Route route, CachedAnswer answer, Buffer body, boolean stream) {
        exchange.trace().cacheStatus("hit");
        exchange.target(servedBy(exchange, route, answer));
        exchange.trace().usage(answer.usage());
        exchange.client().whole(200, null, stream, body);
    }

    /** The target the answer came from, for the headers and the log, as far as the config still knows it. */
    private static Target servedBy(Exchange exchange, Route route, CachedAnswer answer) {
        return exchange.config()
                .endpoint(answer.endpoint())
                .map(endpoint -> new Target(endpoint, answer.model(), answer.route()))
                .orElse(route.first());
    }

    /** The route's targets after model mapping: a different destination must not get another's answer. */
    private static String identity(Route route) {
        StringBuilder out = new StringBuilder(64);
        for (Target target : route.targets()) {
            out.append(target.endpoint().name())
                    .append(',')
                    .append(target.model())
                    .append(';');
        }
        return out.toString();
    }
}
