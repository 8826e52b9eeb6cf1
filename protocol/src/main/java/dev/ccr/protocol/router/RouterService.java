package dev.ccr.protocol.router;

import java.util.concurrent.CompletableFuture;
import org.eclipse.lsp4j.jsonrpc.services.JsonNotification;
import org.eclipse.lsp4j.jsonrpc.services.JsonRequest;
import org.eclipse.lsp4j.jsonrpc.services.JsonSegment;

/**
 * {@code router/*} from the editor: the router as a process that several editors may share (see
 * {@link dev.ccr.protocol.status.RouterLifetime}). {@code shutdown} and {@code exit} end one editor's session with a
 * shared router; these methods act on the router itself.
 */
@JsonSegment("router")
public interface RouterService {
    /**
     * {@code router/stop}: stops the router for every editor. Each attached editor first gets {@code router/exiting}
     * with the reason, so that none of them starts a router again unasked ({@link StopReason#STOP_REQUESTED}) or so
     * that each attaches to the one that replaces it ({@link StopReason#REPLACED}). Requests in flight get a moment to
     * finish; the answer ({@code null}) comes once the proxy has stopped, then the process exits with status 0. Claude
     * Code's settings stay as they are. Since 1.1.
     */
    @JsonRequest
    CompletableFuture<Void> stop(RouterStopParams params);

    /**
     * {@code router/preferencesChanged}: the user changed a preference of this editor that the router acts on (what
     * happens to routing when the editors close). Replaces what {@code initialize} sent. Since 1.1.
     */
    @JsonNotification
    void preferencesChanged(PreferencesChangedParams params);
}
