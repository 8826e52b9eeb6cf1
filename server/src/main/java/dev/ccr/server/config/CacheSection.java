package dev.ccr.server.config;

import static dev.ccr.server.config.ConfigProblems.orDefault;

import java.time.Duration;

/**
 * Checks and resolves the {@code cache} section. The cache stays off unless enabled, since replaying a response is
 * only right for a user who asked for it.
 */
final class CacheSection {
    private final ConfigProblems problems;

    CacheSection(ConfigProblems problems) {
        this.problems = problems;
    }

    EffectiveConfig.Cache cache(CacheConfig raw, ConfigPath at) {
        if (raw == null) {
            return new EffectiveConfig.Cache(
                    false, EffectiveConfig.DEFAULT_CACHE_TTL, EffectiveConfig.DEFAULT_CACHE_BYTES);
        }
        int ttl = orDefault(raw.ttl(), (int) EffectiveConfig.DEFAULT_CACHE_TTL.toSeconds());
        if (ttl < 1) {
            problems.error(at.key("ttl"), "ttl is in seconds and must be at least 1, got " + ttl);
        }
        int maxMb = problems.inRange(
                raw.maxSizeMB(), (int) (EffectiveConfig.DEFAULT_CACHE_BYTES >> 20), 1, 16_384, at.key("maxSizeMB"));
        return new EffectiveConfig.Cache(
                Boolean.TRUE.equals(raw.enabled()), Duration.ofSeconds(Math.max(ttl, 1)), (long) maxMb << 20);
    }
}
