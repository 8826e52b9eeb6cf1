package dev.ccr.protocol.config;

/**
 * {@code config/setDefaultEndpoint}.
 *
 * @param name an existing endpoint's name; required
 * @param dryRun only validate: nothing is written or applied
 */
public record SetDefaultEndpointParams(String name, boolean dryRun) {}
