package dev.ccr.protocol.credentials;

/**
 * {@code credentials/getApiKey}, sent by the server to an editor that declared
 * {@link dev.ccr.protocol.lifecycle.ClientCapabilities#apiKeys()}.
 *
 * @param endpoint the endpoint the key is for; never null
 */
public record GetApiKeyParams(String endpoint) {}
