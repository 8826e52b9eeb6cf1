package dev.ccr.server.rpc;

import dev.ccr.protocol.CcrClient;
import dev.ccr.protocol.CcrLauncher;
import dev.ccr.protocol.config.ConfigChangedParams;
import dev.ccr.protocol.config.ConfigResult;
import dev.ccr.protocol.endpoints.EndpointTestProgressParams;
import dev.ccr.protocol.lifecycle.ClientCapabilities;
import dev.ccr.protocol.lifecycle.InitializeParams;
import dev.ccr.protocol.lifecycle.InitializeResult;
import dev.ccr.protocol.router.EditorPreferences;
import dev.ccr.protocol.router.PreferencesChangedParams;
import dev.ccr.protocol.router.RouterExitingParams;
import dev.ccr.protocol.router.RouterService;
import dev.ccr.protocol.router.RouterStopParams;
import dev.ccr.protocol.router.StopReason;
import dev.ccr.protocol.router.WhenEditorsClose;
import dev.ccr.protocol.status.RoutingState;
import dev.ccr.protocol.status.ServerStatus;
import dev.ccr.protocol.status.StatusChangedParams;
import dev.ccr.server.probe.EndpointProbe;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.eclipse.lsp4j.jsonrpc.Launcher;
import org.eclipse.lsp4j.jsonrpc.MessageConsumer;
import org.eclipse.lsp4j.jsonrpc.messages.RequestMessage;
import org.eclipse.lsp4j.jsonrpc.messages.ResponseMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One editor's connection to the router: its handshake and gate, what it declared (capabilities, workspace folders,
 * preferences), and what is pushed to it. The router ({@link Sidecar}) holds what all editors share; each editor sees
 * the routing state of its own workspace folders.
 */
final class EditorSession implements SidecarServer.Lifecycle, RouterService {
    private static final Logger log = LoggerFactory.getLogger(EditorSession.class);

    private final Sidecar router;
    private final String name;
    private final Runnable closeTransport;
    private final RpcGate gate = new RpcGate();
    private final StatusPublisher publisher;
    private final RequestPush push;
    private final AtomicBoolean ended = new AtomicBoolean();
    private volatile CcrClient editor;
    private volatile ClientCapabilities capabilities = new ClientCapabilities(false, false, false);
    private volatile List<Path> workspaceFolders = List.of();
    private volatile RoutingState routing = RoutingState.OFF;
    private volatile WhenEditorsClose whenEditorsClose = WhenEditorsClose.KEEP_SERVING;
    private volatile String clientName = "an editor";
    private volatile String initializeId;
    private volatile boolean answered;
    private ServerStatus statusAtInitialize;
    private ConfigResult configSent;

    /**
     * @param name how the log calls this connection ({@code "stdio"}, {@code "socket #2"})
     * @param closeTransport ends the connection, so the editor sees it closed
     */
    EditorSession(Sidecar router, String name, Runnable closeTransport) {
        this.router = router;
        this.name = name;
        this.closeTransport = closeTransport;
        this.publisher = new StatusPublisher(
                this::status, status -> send(e -> e.statusChanged(new StatusChangedParams(status))), router.worker());
        this.push = new RequestPush(router.worker(), params -> send(e -> e.requestsCompleted(params)));
    }

    /** Serves the protocol on these streams; the session ends when they do. */
    void connect(InputStream in, OutputStream out) {
        ClaudeRpc claude = new ClaudeRpc(
                router.claude(), router::target, () -> workspaceFolders, router::stateChanged, router.worker());
        EndpointsRpc endpoints = new EndpointsRpc(
                router.supervisor(),
                router.loader(),
                router.credentials(),
                () -> capabilities.apiKeys() ? editor : null,
                this::progressSink,
                new EndpointProbe(),
                router.health(),
                router.worker());
        SidecarServer server = new SidecarServer(
                gate,
                this,
                router.configRpc(),
                endpoints,
                new CredentialsRpc(router.credentials(), router::prefetchKeys),
                router.statsRpc(),
                claude,
                this);
        Launcher<CcrClient> launcher = CcrLauncher.serverLauncher(
                server, in, out, router.io(), this::afterInitializeAnswer, RpcErrors::toResponseError);
        editor = launcher.getRemoteProxy();
        Future<Void> listening = launcher.startListening();
        router.io().execute(() -> {
            try {
                listening.get();
            } catch (Exception e) {
                // the stream failed: the same as its end
            }
            if (!ended.get()) {
                log.info("{} ({}) closed the connection", clientName, name);
            }
            end(0);
        });
    }

    /**
     * Watches the messages going out for the answer to {@code initialize}: only once it is written may notifications
     * and questions follow (else the editor could see a status before its handshake completes). LSP4J wraps the
     * incoming and the outgoing stream with this, so the request's id is noted on the way in and matched on the way out.
     */
    private MessageConsumer afterInitializeAnswer(MessageConsumer consumer) {
        return message -> {
            if (message instanceof RequestMessage request && "initialize".equals(request.getMethod())) {
                initializeId = request.getId();
            }
            consumer.consume(message);
            if (message instanceof ResponseMessage response
                    && response.getError() == null
                    && Objects.equals(response.getId(), initializeId)
                    && !answered) {
                answered = true;
                router.worker().execute(this::startTalking);
            }
        };
    }

    @Override
    public CompletableFuture<ServerStatus> initialize(InitializeParams params, ClientCapabilities capabilities) {
        return CompletableFuture.supplyAsync(
                () -> {
                    this.capabilities = capabilities;
                    this.workspaceFolders = params.workspaceFolders() == null
                            ? List.of()
                            : params.workspaceFolders().stream().map(Path::of).toList();
                    this.clientName = params.clientName() == null
                            ? "an editor"
                            : params.clientName()
                                    + (params.clientVersion() == null ? "" : " " + params.clientVersion());
                    prefer(params.preferences());
                    if (capabilities.apiKeys()) {
                        // Questions are sent from this worker, so none can go out before the answer to initialize,
                        // which is written when this task completes; a request arriving meanwhile waits for the key.
                        router.credentials().connect(editor);
                    }
                    routing = router.routingFor(workspaceFolders);
                    router.watchClaudeSettings();
                    statusAtInitialize = status();
                    return statusAtInitialize;
                },
                router.worker());
    }

    /** After the handshake: keys, pushes and notifications may flow now. */
    private void startTalking() {
        if (ended.get()) {
            return;
        }
        if (capabilities.apiKeys()) {
            router.prefetchKeys();
        }
        if (capabilities.requestNotifications()) {
            push.enable();
        }
        configSent = router.configView();
        publisher.activate(statusAtInitialize);
        router.stateChanged();
    }

    @Override
    public InitializeResult result(ServerStatus status) {
        return router.initializeResult(status);
    }

    @Override
    public CompletableFuture<Void> shutdown() {
        log.info("shutdown requested by {} ({})", clientName, name);
        return router.shutdownRequested(this);
    }

    @Override
    public void exit(int status) {
        router.exitRequested(this, status);
    }

    @Override
    public CompletableFuture<Void> stop(RouterStopParams params) {
        StopReason reason = params == null || params.reason() == null ? StopReason.STOP_REQUESTED : params.reason();
        String message = reason == StopReason.REPLACED
                ? clientName + " replaces this router (ccr " + dev.ccr.server.Version.current() + ") with a newer one"
                : "the router was stopped from " + clientName;
        log.info("{} ({}) stops the router: {}", clientName, name, reason);
        return router.stop(reason, message, Sidecar.SHUTDOWN_DRAIN);
    }

    @Override
    public void preferencesChanged(PreferencesChangedParams params) {
        prefer(params == null ? null : params.preferences());
    }

    private void prefer(EditorPreferences preferences) {
        whenEditorsClose = preferences == null || preferences.whenEditorsClose() == null
                ? WhenEditorsClose.KEEP_SERVING
                : preferences.whenEditorsClose();
    }

    WhenEditorsClose whenEditorsClose() {
        return whenEditorsClose;
    }

    String describe() {
        return clientName + " (" + name + ")";
    }

    /**
     * Something this editor is shown may have changed; on the router's worker.
     *
     * @param config the config view now, when it differs from the one before; else null
     */
    void refresh(ConfigResult config) {
        if (!answered || ended.get()) {
            return;
        }
        if (config != null && !config.equals(configSent)) {
            configSent = config;
            send(e -> e.configChanged(new ConfigChangedParams(config)));
        }
        routing = router.routingFor(workspaceFolders);
        publisher.changed();
    }

    /** Tells the editor the router is about to close its connection on purpose. */
    void exiting(RouterExitingParams params) {
        if (answered && !ended.get()) {
            send(e -> e.routerExiting(params));
        }
    }

    /** Finished requests, for the editor's live stats. */
    void requestCompleted(dev.ccr.server.observe.PricedRequest record) {
        push.accept(record);
    }

    /**
     * Ends the session: nothing more is sent, the connection is closed, and the router decides what its end means.
     *
     * @param status the process's exit status, if this session's end ends the process (a router of one editor)
     */
    void end(int status) {
        if (!ended.compareAndSet(false, true)) {
            return;
        }
        publisher.deactivate();
        router.credentials().disconnect(editor);
        closeTransport.run();
        router.sessionEnded(this, status);
    }

    /** Closes the connection without a word, as the process exits. */
    void close() {
        if (ended.compareAndSet(false, true)) {
            publisher.deactivate();
            closeTransport.run();
        }
    }

    private ServerStatus status() {
        return router.status(routing);
    }

    private Consumer<EndpointTestProgressParams> progressSink() {
        return capabilities.endpointTestProgress()
                ? params -> router.worker().execute(() -> send(e -> e.endpointTestProgress(params)))
                : null;
    }

    /** Sends to the editor; a connection that broke ends the session rather than failing the sender. */
    private void send(Consumer<CcrClient> message) {
        if (ended.get()) {
            return;
        }
        try {
            message.accept(editor);
        } catch (RuntimeException e) {
            log.debug("cannot reach {}: {}", describe(), e.toString());
            router.io().execute(() -> end(0));
        }
    }
}
