package dev.ccr.server.rpc;

import dev.ccr.protocol.credentials.ApiKeyChangedParams;
import dev.ccr.protocol.credentials.CredentialsService;

/** {@code credentials/*}: the editor says a key changed; the next request needing it asks again. */
final class CredentialsRpc implements CredentialsService {
    private final EditorCredentials credentials;
    private final Runnable prefetch;

    /** @param prefetch asks again for what was forgotten, when the router must have keys at hand */
    CredentialsRpc(EditorCredentials credentials, Runnable prefetch) {
        this.credentials = credentials;
        this.prefetch = prefetch;
    }

    @Override
    public void apiKeyChanged(ApiKeyChangedParams params) {
        credentials.forget(params == null ? null : params.endpoint());
        prefetch.run();
    }
}
