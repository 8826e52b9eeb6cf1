package dev.ccr.server.rpc;

import dev.ccr.protocol.CcrServer;
import dev.ccr.protocol.ErrorCodes;
import dev.ccr.protocol.ProtocolVersion;
import dev.ccr.protocol.claude.ClaudeService;
import dev.ccr.protocol.config.ConfigService;
import dev.ccr.protocol.credentials.CredentialsService;
import dev.ccr.protocol.endpoints.EndpointService;
import dev.ccr.protocol.lifecycle.ClientCapabilities;
import dev.ccr.protocol.lifecycle.IncompatibleVersionData;
import dev.ccr.protocol.lifecycle.InitializeParams;
import dev.ccr.protocol.lifecycle.InitializeResult;
import dev.ccr.protocol.router.RouterService;
import dev.ccr.protocol.stats.StatsService;
import dev.ccr.protocol.status.ServerStatus;
import java.util.concurrent.CompletableFuture;
import org.eclipse.lsp4j.jsonrpc.ResponseErrorException;
import org.eclipse.lsp4j.jsonrpc.messages.ResponseError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The root of what the editor calls: the handshake and shutdown here, the rest in gated segments. */
final class SidecarServer implements CcrServer {
    private static final Logger log = LoggerFactory.getLogger(SidecarServer.class);

    /** What the editor's session does for the lifecycle methods. */
    interface Lifecycle {
        /** Takes the editor's capabilities into use and returns the status it starts from; on the worker. */
        CompletableFuture<ServerStatus> initialize(InitializeParams params, ClientCapabilities capabilities);

        /** Stops the proxy (of a router of one editor) or lets the editor go (of a shared one). */
        CompletableFuture<Void> shutdown();

        /** Ends the process (of a router of one editor) or the session (of a shared one) with this status. */
        void exit(int status);

        InitializeResult result(ServerStatus status);
    }

    private final RpcGate gate;
    private final Lifecycle lifecycle;
    private final ConfigService config;
    private final EndpointService endpoints;
    private final CredentialsService credentials;
    private final StatsService stats;
    private final ClaudeService claude;
    private final RouterService router;
    private volatile boolean initializing;
    private volatile boolean shutdownRequested;

    SidecarServer(
            RpcGate gate,
            Lifecycle lifecycle,
            ConfigService config,
            EndpointService endpoints,
            CredentialsService credentials,
            StatsService stats,
            ClaudeService claude,
            RouterService router) {
        this.gate = gate;
        this.lifecycle = lifecycle;
        this.config = gate.guard(ConfigService.class, config);
        this.endpoints = gate.guard(EndpointService.class, endpoints);
        this.credentials = gate.guard(CredentialsService.class, credentials);
        this.stats = gate.guard(StatsService.class, stats);
        this.claude = gate.guard(ClaudeService.class, claude);
        this.router = gate.guard(RouterService.class, router);
    }

    @Override
    public synchronized CompletableFuture<InitializeResult> initialize(InitializeParams params) {
        if (initializing || gate.phase() != RpcGate.Phase.NEW) {
            return CompletableFuture.failedFuture(
                    RpcErrors.error(ErrorCodes.INVALID_REQUEST, "initialize was sent already; send it once"));
        }
        if (params == null || !ProtocolVersion.isCompatible(params.protocolVersion())) {
            String theirs = params == null ? null : params.protocolVersion();
            return CompletableFuture.failedFuture(new ResponseErrorException(new ResponseError(
                    ErrorCodes.INCOMPATIBLE_PROTOCOL_VERSION,
                    "this ccr server speaks protocol " + ProtocolVersion.CURRENT + " and cannot talk to an editor"
                            + " extension speaking " + (theirs == null ? "no version" : theirs)
                            + "; install matching versions of the ccr extension and server",
                    new IncompatibleVersionData(ProtocolVersion.CURRENT, theirs))));
        }
        initializing = true;
        log.info(
                "editor connected: {} {} (protocol {})",
                params.clientName() == null ? "unnamed client" : params.clientName(),
                params.clientVersion() == null ? "" : params.clientVersion(),
                params.protocolVersion());
        ClientCapabilities capabilities =
                params.capabilities() == null ? new ClientCapabilities(false, false, false) : params.capabilities();
        return lifecycle.initialize(params, capabilities).thenApply(status -> {
            gate.open();
            return lifecycle.result(status);
        });
    }

    @Override
    public CompletableFuture<Void> shutdown() {
        if (gate.phase() == RpcGate.Phase.NEW) {
            return CompletableFuture.failedFuture(
                    RpcErrors.error(ErrorCodes.SERVER_NOT_INITIALIZED, "the editor must send initialize first"));
        }
        shutdownRequested = true;
        gate.close();
        return lifecycle.shutdown();
    }

    @Override
    public void exit() {
        lifecycle.exit(shutdownRequested ? 0 : 1);
    }

    @Override
    public ConfigService getConfigService() {
        return config;
    }

    @Override
    public EndpointService getEndpointService() {
        return endpoints;
    }

    @Override
    public CredentialsService getCredentialsService() {
        return credentials;
    }

    @Override
    public StatsService getStatsService() {
        return stats;
    }

    @Override
    public ClaudeService getClaudeService() {
        return claude;
    }

    @Override
    public RouterService getRouterService() {
        return router;
    }
}
