package dev.ccr.server.rpc;

import dev.ccr.protocol.credentials.ApiKeyChangedParams;
import dev.ccr.protocol.credentials.CredentialsService;

/** {@code credentials/*}: the editor says a key changed; the next request needing it asks again. */
final class CredentialsRpc implements CredentialsService {
    private final EditorCredentials credentials;

    CredentialsRpc(EditorCredentials credentials) {
        this.credentials = credentials;
    }

    @Override
    public void apiKeyChanged(ApiKeyChangedParams params) {
        credentials.forget(params == null ? null : params.endpoint());
    }
}
