package dev.ccr.protocol.config;

/**
 * {@code config/setCache}.
 *
 * @param cache the settings to change; null fields keep their value; required
 * @param dryRun only validate: nothing is written or applied
 */
public record SetCacheParams(CacheSettings cache, boolean dryRun) {}
