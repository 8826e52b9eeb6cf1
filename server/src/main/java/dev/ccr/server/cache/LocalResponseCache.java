package dev.ccr.server.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import dev.ccr.server.config.EffectiveConfig;
import io.vertx.core.Future;

/**
 * The response cache in this process's memory: Caffeine, bounded by the bytes of the answers it holds (the least
 * valuable go first), each entry expiring a fixed time after it was written. Its upkeep runs on the calling thread in
 * small amortised steps, so no pool thread is involved and tests see evictions at once.
 */
public final class LocalResponseCache implements ResponseCache {
    private final Cache<CacheKey, CachedAnswer> entries;

    public LocalResponseCache(EffectiveConfig.Cache settings, Ticker ticker) {
        this.entries = Caffeine.newBuilder()
                .maximumWeight(settings.maxBytes())
                .weigher((CacheKey key, CachedAnswer answer) -> answer.weight())
                .expireAfterWrite(settings.ttl())
                .ticker(ticker)
                .executor(Runnable::run)
                .build();
    }

    @Override
    public Future<CachedAnswer> get(CacheKey key) {
        return Future.succeededFuture(entries.getIfPresent(key));
    }

    @Override
    public void put(CacheKey key, CachedAnswer answer) {
        entries.put(key, answer);
    }

    @Override
    public void invalidate(CacheKey key) {
        entries.invalidate(key);
    }

    @Override
    public void configure(EffectiveConfig.Cache settings) {
        entries.policy().eviction().ifPresent(eviction -> eviction.setMaximum(settings.maxBytes()));
        entries.policy().expireAfterWrite().ifPresent(expiry -> expiry.setExpiresAfter(settings.ttl()));
        if (!settings.enabled()) {
            entries.invalidateAll();
        }
    }

    /** Entries held now (after pending upkeep), for tests. */
    long size() {
        entries.cleanUp();
        return entries.estimatedSize();
    }

    /** Bytes held now, for tests and status. */
    public long weight() {
        entries.cleanUp();
        return entries.policy().eviction().map(e -> e.weightedSize().orElse(0)).orElse(0L);
    }
}
