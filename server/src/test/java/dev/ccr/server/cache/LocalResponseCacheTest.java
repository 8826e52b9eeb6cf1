package dev.ccr.server.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ccr.server.config.EffectiveConfig;
import dev.ccr.server.testing.ManualClock;
import dev.ccr.server.translate.Usage;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class LocalResponseCacheTest {
    private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));

    private static CachedAnswer answer(int bytes) {
        return new CachedAnswer(false, new byte[bytes], "anthropic", "m", "default", Usage.NONE);
    }

    private LocalResponseCache cache(Duration ttl, long maxBytes) {
        return new LocalResponseCache(new EffectiveConfig.Cache(true, ttl, maxBytes), clock.ticker());
    }

    @Test
    void anEntryIsThereUntilItsTtlPasses() {
        LocalResponseCache cache = cache(Duration.ofMinutes(10), 1 << 20);
        CacheKey key = new CacheKey(1, 2);
        assertThat(cache.get(key).result()).isNull();
        cache.put(key, answer(100));
        assertThat(cache.get(key).result()).isNotNull();
        clock.advance(Duration.ofMinutes(9));
        assertThat(cache.get(key).result()).isNotNull();
        clock.advance(Duration.ofMinutes(1));
        assertThat(cache.get(key).result()).isNull();
    }

    @Test
    void theCacheKeepsWithinItsBytes() {
        LocalResponseCache cache = cache(Duration.ofHours(1), 10_000);
        for (int i = 0; i < 50; i++) {
            cache.put(new CacheKey(0, i), answer(1_000)); // each weighs 1,256
        }
        assertThat(cache.weight()).isLessThanOrEqualTo(10_000);
        assertThat(cache.size()).isBetween(1L, 7L);
    }

    @Test
    void aReloadResizesAndRetimesWithoutLosingEntriesAndDisablingEmptiesIt() {
        LocalResponseCache cache = cache(Duration.ofHours(1), 1 << 20);
        CacheKey key = new CacheKey(3, 4);
        cache.put(key, answer(10));
        cache.configure(new EffectiveConfig.Cache(true, Duration.ofMinutes(1), 1 << 20));
        assertThat(cache.get(key).result()).isNotNull();
        clock.advance(Duration.ofMinutes(1));
        assertThat(cache.get(key).result()).isNull();
        cache.put(key, answer(10));
        cache.configure(new EffectiveConfig.Cache(false, Duration.ofMinutes(1), 1 << 20));
        assertThat(cache.get(key).result()).isNull();
    }
}
