package dev.ccr.protocol.credentials;

/**
 * The editor's answer to {@code credentials/getApiKey}.
 *
 * @param apiKey the key, or null when the editor has none for that endpoint (then an Anthropic endpoint forwards the
 *     client's own key, and other endpoints fail with an authentication error that says how to add one)
 */
public record GetApiKeyResult(String apiKey) {
    @Override
    public String toString() {
        return "GetApiKeyResult[apiKey=" + (apiKey == null ? "none" : "***") + "]";
    }
}
