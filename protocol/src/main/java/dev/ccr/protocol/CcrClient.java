package dev.ccr.protocol;

import dev.ccr.protocol.config.ConfigChangedParams;
import dev.ccr.protocol.credentials.GetApiKeyParams;
import dev.ccr.protocol.credentials.GetApiKeyResult;
import dev.ccr.protocol.endpoints.EndpointTestProgressParams;
import dev.ccr.protocol.router.RouterExitingParams;
import dev.ccr.protocol.stats.RequestsCompletedParams;
import dev.ccr.protocol.status.StatusChangedParams;
import java.util.concurrent.CompletableFuture;
import org.eclipse.lsp4j.jsonrpc.services.JsonNotification;
import org.eclipse.lsp4j.jsonrpc.services.JsonRequest;

/**
 * What the ccr server calls on the editor. Flat, with full method names, like LSP4J's {@code LanguageClient}; the names
 * use the segments of the concerns they belong to. The server sends nothing before it has answered {@code initialize}.
 */
public interface CcrClient {
    /**
     * {@code status/statusChanged}: the status changed; carries all of it. Sent after every change and never for an
     * unchanged status; the editor never polls. Since 1.0.
     */
    @JsonNotification("status/statusChanged")
    void statusChanged(StatusChangedParams params);

    /**
     * {@code config/configChanged}: a different configuration came into force (a {@code config/*} change, or an edit of
     * the file that was reloaded). Since 1.0.
     */
    @JsonNotification("config/configChanged")
    void configChanged(ConfigChangedParams params);

    /**
     * {@code endpoints/testProgress}: a step of a running {@code endpoints/test}; only when the editor declared
     * {@link dev.ccr.protocol.lifecycle.ClientCapabilities#endpointTestProgress()} and passed a progress token. Since
     * 1.0.
     */
    @JsonNotification("endpoints/testProgress")
    void endpointTestProgress(EndpointTestProgressParams params);

    /**
     * {@code credentials/getApiKey}: the server needs the API key of an endpoint whose config has none. Only sent to an
     * editor that declared {@link dev.ccr.protocol.lifecycle.ClientCapabilities#apiKeys()}. The server waits up to 15
     * seconds, then fails the request that needed the key with a message naming the endpoint; it remembers the answer
     * (a key or null) until {@code credentials/apiKeyChanged}. An error answer is treated as "no answer": not
     * remembered, asked again next time. Since 1.0.
     */
    @JsonRequest("credentials/getApiKey")
    CompletableFuture<GetApiKeyResult> getApiKey(GetApiKeyParams params);

    /**
     * {@code stats/requestsCompleted}: requests that finished since the last one, at most twice a second; only when the
     * editor declared {@link dev.ccr.protocol.lifecycle.ClientCapabilities#requestNotifications()}. Since 1.0.
     */
    @JsonNotification("stats/requestsCompleted")
    void requestsCompleted(RequestsCompletedParams params);

    /**
     * {@code router/exiting}: the router is about to stop on purpose and close this connection; the reason tells the
     * editor whether to leave it stopped or to attach again. A connection that closes without it means the router
     * crashed or was killed. Since 1.1.
     */
    @JsonNotification("router/exiting")
    void routerExiting(RouterExitingParams params);
}
