package dev.ccr.protocol.credentials;

import org.eclipse.lsp4j.jsonrpc.services.JsonNotification;
import org.eclipse.lsp4j.jsonrpc.services.JsonSegment;

/**
 * {@code credentials/*} from the editor. The editor owns endpoint API keys (its secret storage); the server asks for
 * one with {@code credentials/getApiKey} when a request needs it and remembers the answer until told otherwise here.
 */
@JsonSegment("credentials")
public interface CredentialsService {
    /**
     * {@code credentials/apiKeyChanged}: a key in the editor's secret storage was set, changed or deleted. The server
     * forgets what it remembered and asks again when it next needs the key. The key itself is not sent. Since 1.0.
     */
    @JsonNotification
    void apiKeyChanged(ApiKeyChangedParams params);
}
