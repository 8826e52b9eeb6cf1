package dev.ccr.protocol.config;

/**
 * {@code config/configChanged}: sent by the server whenever a different configuration comes into force, whether
 * through a {@code config/*} change or because the file was edited and reloaded.
 *
 * @param config the configuration now in force; never null
 */
public record ConfigChangedParams(ConfigResult config) {}
