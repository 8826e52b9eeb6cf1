package dev.ccr.protocol.lifecycle;

/**
 * The optional features an editor supports. Missing flags read as {@code false}, so an older editor simply does not
 * get what it did not ask for.
 *
 * @param apiKeys the editor keeps endpoint API keys in its secret storage and answers {@code credentials/getApiKey};
 *     without it the server uses keys from the config file only
 * @param requestNotifications the editor wants {@code stats/requestsCompleted} pushed as requests finish
 * @param endpointTestProgress the editor wants {@code endpoints/testProgress} while an endpoint test runs
 */
public record ClientCapabilities(boolean apiKeys, boolean requestNotifications, boolean endpointTestProgress) {}
