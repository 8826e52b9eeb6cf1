package dev.ccr.protocol.config;

/** Where an endpoint's API key comes from. */
public enum ApiKeySource {
    /** The config file holds the key itself. */
    CONFIG,
    /** The config file refers to an environment variable that is set. */
    ENVIRONMENT,
    /** The config file refers to an environment variable that is not set: requests to the endpoint fail. */
    ENVIRONMENT_MISSING,
    /**
     * The config file has no key: the editor's secret storage is asked ({@code credentials/getApiKey}); without one
     * there, an Anthropic endpoint forwards the client's own key.
     */
    EDITOR_OR_CLIENT
}
