package dev.ccr.server.cache;

import dev.ccr.server.config.EffectiveConfig;
import io.vertx.core.Future;

/**
 * Complete answers by request key. Alone, the router keeps them in memory ({@link LocalResponseCache}); instances
 * sharing a cache keep them in Redis ({@code team.SharedResponseCache}, docs/TEAM.md), which is why a lookup answers
 * with a future. The key already says whose answer it is, so a store keeps and finds answers by the key alone.
 */
public interface ResponseCache {
    /**
     * The answer stored for the key, or {@code null}.
     *
     * @return already complete for the memory cache, else completed on the calling event loop; never failed (a store
     *     that cannot answer in time answers {@code null}: a miss)
     */
    Future<CachedAnswer> get(CacheKey key);

    void put(CacheKey key, CachedAnswer answer);

    /** Drops an entry that turned out unusable. */
    void invalidate(CacheKey key);

    /** Applies (re)loaded settings: size and time to live. */
    void configure(EffectiveConfig.Cache settings);

    /** How this store's keys name a caller: per process unless the store is shared by several processes. */
    default CacheScope scope() {
        return CacheScope.PROCESS;
    }
}
