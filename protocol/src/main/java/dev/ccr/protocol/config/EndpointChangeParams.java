package dev.ccr.protocol.config;

/**
 * {@code config/addEndpoint} and {@code config/updateEndpoint}.
 *
 * @param endpoint the endpoint, or for an update the fields to change; required
 * @param dryRun only validate: nothing is written or applied
 */
public record EndpointChangeParams(EndpointSettings endpoint, boolean dryRun) {}
