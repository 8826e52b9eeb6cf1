package dev.ccr.server.cache;

import dev.ccr.server.config.EffectiveConfig;

/**
 * Complete answers by request key. Alone, the router keeps them in memory ({@link LocalResponseCache}); instances
 * sharing a cache (DESIGN §7) implement the same interface over a shared store.
 */
public interface ResponseCache {
    /** The answer stored for the key, or {@code null}. */
    CachedAnswer get(CacheKey key);

    void put(CacheKey key, CachedAnswer answer);

    /** Drops an entry that turned out unusable. */
    void invalidate(CacheKey key);

    /** Applies (re)loaded settings: size and time to live. */
    void configure(EffectiveConfig.Cache settings);
}
