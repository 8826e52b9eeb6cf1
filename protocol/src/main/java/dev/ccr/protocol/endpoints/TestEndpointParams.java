package dev.ccr.protocol.endpoints;

import dev.ccr.protocol.config.EndpointSettings;

/**
 * {@code endpoints/test}. Give either {@code name} (a configured endpoint) or {@code endpoint} (settings from a form,
 * not saved yet; needs type and baseUrl).
 *
 * @param name a configured endpoint's name; null when {@code endpoint} is given
 * @param endpoint unsaved settings to test; null when {@code name} is given
 * @param apiKey the key to test with, for settings not saved yet; null means: the config file's key, else the editor's
 *     ({@code credentials/getApiKey}). Used for this test only: never stored, never logged.
 * @param progressToken an id the editor chooses, echoed in each {@code endpoints/testProgress}; null: no progress
 */
public record TestEndpointParams(String name, EndpointSettings endpoint, String apiKey, String progressToken) {
    @Override
    public String toString() {
        return "TestEndpointParams[name=" + name + ", endpoint=" + endpoint + ", apiKey="
                + (apiKey == null ? "none" : "***") + ", progressToken=" + progressToken + "]";
    }
}
