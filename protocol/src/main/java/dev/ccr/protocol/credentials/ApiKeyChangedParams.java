package dev.ccr.protocol.credentials;

/**
 * {@code credentials/apiKeyChanged}.
 *
 * @param endpoint the endpoint whose key changed; null means every key may have changed
 */
public record ApiKeyChangedParams(String endpoint) {}
