package dev.ccr.protocol.config;

/**
 * {@code config/removeEndpoint}.
 *
 * @param name the endpoint to remove; required
 * @param dryRun only validate: nothing is written or applied
 */
public record RemoveEndpointParams(String name, boolean dryRun) {}
