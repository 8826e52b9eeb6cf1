package dev.ccr.protocol.config;

/**
 * The response cache. In {@link ConfigResult} both fields are set; in {@link SetCacheParams} a null field keeps its
 * value.
 *
 * @param enabled whether complete successful answers are cached and replayed for identical requests
 * @param ttlSeconds how long an answer stays cached, in seconds (at least 1)
 */
public record CacheSettings(Boolean enabled, Integer ttlSeconds) {}
