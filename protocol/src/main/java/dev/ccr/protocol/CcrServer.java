package dev.ccr.protocol;

import dev.ccr.protocol.claude.ClaudeService;
import dev.ccr.protocol.config.ConfigService;
import dev.ccr.protocol.credentials.CredentialsService;
import dev.ccr.protocol.endpoints.EndpointService;
import dev.ccr.protocol.lifecycle.InitializeParams;
import dev.ccr.protocol.lifecycle.InitializeResult;
import dev.ccr.protocol.router.RouterService;
import dev.ccr.protocol.stats.StatsService;
import java.util.concurrent.CompletableFuture;
import org.eclipse.lsp4j.jsonrpc.services.JsonDelegate;
import org.eclipse.lsp4j.jsonrpc.services.JsonNotification;
import org.eclipse.lsp4j.jsonrpc.services.JsonRequest;

/**
 * What the editor calls on the ccr server (the sidecar started as {@code ccr lsp}). The lifecycle methods sit at the
 * top level with the names LSP uses, so JSON-RPC tooling recognises them; everything else is grouped by concern in a
 * segment, whose methods are named {@code segment/method}.
 *
 * <p>The editor sends {@code initialize} first and waits for its answer; until then every other request fails with
 * {@link ErrorCodes#SERVER_NOT_INITIALIZED}. To stop the server it sends {@code shutdown}, then {@code exit}. The
 * server also exits when its standard input ends or its parent process dies.
 *
 * <p>A shared router ({@link dev.ccr.protocol.status.RouterLifetime#SHARED} or
 * {@link dev.ccr.protocol.status.RouterLifetime#STANDALONE}) serves several editors, each on a connection of its own
 * (standard input and output for the editor that started it, a local socket for the others). There {@code shutdown}
 * and {@code exit} end the session of the editor that sends them, and {@code router/stop} stops the router.
 */
public interface CcrServer {
    /**
     * {@code initialize}: the handshake. Exchanges protocol versions and capabilities and returns the current status.
     * Fails with {@link ErrorCodes#INCOMPATIBLE_PROTOCOL_VERSION} when the editor speaks another major version; the
     * message names both versions and what to update. Sent once; a second call fails with
     * {@link ErrorCodes#INVALID_REQUEST}. Since 1.0.
     */
    @JsonRequest
    CompletableFuture<InitializeResult> initialize(InitializeParams params);

    /**
     * {@code shutdown}: stops the HTTP proxy, letting requests in flight finish for a moment, and answers {@code null}
     * once it has stopped. Afterwards every request but {@code exit} fails with {@link ErrorCodes#SHUTTING_DOWN}. Claude
     * Code's settings are left as they are: routing off is the editor's decision ({@code claude/disable}). Since 1.0.
     *
     * <p>With a shared router (since 1.1) it ends this editor's session only: the proxy keeps serving Claude Code and
     * the other editors, and the router decides by itself whether to stay once no editor is left (see
     * {@link dev.ccr.protocol.router.WhenEditorsClose}).
     */
    @JsonRequest
    CompletableFuture<Void> shutdown();

    /**
     * {@code exit}: the process exits, with status 0 after {@code shutdown} and 1 without (as in LSP). Since 1.0. With a
     * shared router (since 1.1) the server closes this editor's connection instead.
     */
    @JsonNotification
    void exit();

    /** The {@code config/*} methods. */
    @JsonDelegate
    ConfigService getConfigService();

    /** The {@code endpoints/*} methods. */
    @JsonDelegate
    EndpointService getEndpointService();

    /** The {@code credentials/*} methods. */
    @JsonDelegate
    CredentialsService getCredentialsService();

    /** The {@code stats/*} methods. */
    @JsonDelegate
    StatsService getStatsService();

    /** The {@code claude/*} methods. */
    @JsonDelegate
    ClaudeService getClaudeService();

    /** The {@code router/*} methods. Since 1.1. */
    @JsonDelegate
    RouterService getRouterService();
}
