package dev.ccr.server.rpc;

import dev.ccr.protocol.CcrClient;
import dev.ccr.protocol.CcrLauncher;
import dev.ccr.protocol.ProtocolVersion;
import dev.ccr.protocol.config.ConfigChangedParams;
import dev.ccr.protocol.config.ConfigResult;
import dev.ccr.protocol.endpoints.EndpointTestProgressParams;
import dev.ccr.protocol.lifecycle.ClientCapabilities;
import dev.ccr.protocol.lifecycle.InitializeParams;
import dev.ccr.protocol.lifecycle.InitializeResult;
import dev.ccr.protocol.lifecycle.ServerCapabilities;
import dev.ccr.protocol.status.RoutingState;
import dev.ccr.protocol.status.ServerStatus;
import dev.ccr.protocol.status.StatusChangedParams;
import dev.ccr.server.Version;
import dev.ccr.server.claude.ClaudeSettings;
import dev.ccr.server.claude.ClientEnvironment;
import dev.ccr.server.config.ConfigFileEditor;
import dev.ccr.server.config.ConfigLoader;
import dev.ccr.server.config.EffectiveConfig;
import dev.ccr.server.config.Endpoint;
import dev.ccr.server.config.Overrides;
import dev.ccr.server.config.RouterConfig;
import dev.ccr.server.observe.EndpointHealthTracker;
import dev.ccr.server.observe.metrics.BreakerState;
import dev.ccr.server.probe.EndpointProbe;
import dev.ccr.server.resilience.BreakerView;
import dev.ccr.server.runtime.ConfigWatcher;
import dev.ccr.server.runtime.RouterRuntime;
import dev.ccr.server.runtime.RunState;
import dev.ccr.server.runtime.RunStateFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.eclipse.lsp4j.jsonrpc.Launcher;
import org.eclipse.lsp4j.jsonrpc.MessageConsumer;
import org.eclipse.lsp4j.jsonrpc.messages.RequestMessage;
import org.eclipse.lsp4j.jsonrpc.messages.ResponseMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The editor's sidecar ({@code ccr lsp}): the HTTP proxy plus the JSON-RPC protocol on a pair of streams. It composes
 * the proxy supervisor, the protocol's services and what feeds them, and it ends itself (see {@link #exited()}) when
 * the editor says {@code exit}, when its input ends, or when its parent process dies.
 *
 * <p>All protocol work that touches files or builds views runs on one worker thread, so it is ordered and never blocks
 * an event loop; nothing is sent to the editor before the answer to {@code initialize} is on the wire.
 */
public final class Sidecar implements SidecarServer.Lifecycle {
    private static final Logger log = LoggerFactory.getLogger(Sidecar.class);
    /** How long requests in flight may finish after {@code shutdown}. */
    static final Duration SHUTDOWN_DRAIN = Duration.ofSeconds(2);

    static final Duration PARENT_POLL = Duration.ofMillis(200);

    /**
     * How to run.
     *
     * @param stateFiles where to record this instance for {@code ccr status}, or null (tests)
     * @param parent the process whose death ends this one, or null
     */
    public record Options(
            Path configFile,
            Overrides overrides,
            ConfigLoader loader,
            RunStateFiles stateFiles,
            Path home,
            int eventLoops,
            ClaudeSettings claude,
            Duration credentialsTimeout,
            ProcessHandle parent) {}

    private final Options options;
    /** Work submitted while the sidecar exits (a request finishing, say) is dropped rather than thrown at its caller. */
    private final ScheduledExecutorService worker =
            new ScheduledThreadPoolExecutor(1, daemons("ccr-rpc"), new ThreadPoolExecutor.DiscardPolicy());

    private final ExecutorService io = Executors.newCachedThreadPool(daemons("ccr-rpc-io"));
    private final EditorCredentials credentials;
    private final EndpointHealthTracker health = new EndpointHealthTracker();
    private final RequestPush push;
    private final ProxySupervisor supervisor;
    private final StatusPublisher publisher;
    private final ConfigRpc config;
    private final CompletableFuture<Integer> exited = new CompletableFuture<>();
    private volatile CcrClient editor;
    private volatile ClientCapabilities capabilities = new ClientCapabilities(false, false, false);
    private volatile List<Path> workspaceFolders = List.of();
    private volatile RoutingState routing = RoutingState.OFF;
    private volatile String initializeId;
    private volatile boolean answered;
    private ServerStatus statusAtInitialize;
    private EffectiveConfig configSeen;
    private ConfigResult configSent;
    private ConfigWatcher settingsWatcher;

    private Sidecar(Options options) {
        this.options = options;
        this.credentials = new EditorCredentials(worker, options.credentialsTimeout());
        this.push = new RequestPush(worker, params -> editor.requestsCompleted(params));
        this.supervisor = new ProxySupervisor(
                new ProxySupervisor.Settings(
                        options.configFile(),
                        options.overrides(),
                        options.loader(),
                        options.stateFiles(),
                        options.home(),
                        options.eventLoops(),
                        credentials),
                worker,
                this::wire,
                this::stateChanged);
        this.publisher = new StatusPublisher(
                this::status, status -> editor.statusChanged(new StatusChangedParams(status)), worker);
        this.config = new ConfigRpc(
                supervisor,
                new ConfigFileEditor(options.configFile(), options.loader(), options.overrides()),
                options.loader(),
                worker);
        health.onChange(publisher::changed);
    }

    /** Starts the sidecar on these streams: the protocol at once, the proxy in the background. */
    public static Sidecar start(Options options, InputStream in, OutputStream out) {
        Sidecar sidecar = new Sidecar(options);
        sidecar.connect(in, out);
        sidecar.supervisor.start();
        if (options.parent() != null) {
            sidecar.watchParent(options.parent());
        }
        return sidecar;
    }

    /** Completes with the exit status once the sidecar has stopped. */
    public CompletableFuture<Integer> exited() {
        return exited;
    }

    private void connect(InputStream in, OutputStream out) {
        ClaudeRpc claude =
                new ClaudeRpc(options.claude(), this::target, () -> workspaceFolders, this::stateChanged, worker);
        EndpointsRpc endpoints = new EndpointsRpc(
                supervisor,
                options.loader(),
                credentials,
                () -> capabilities.apiKeys() ? editor : null,
                this::progressSink,
                new EndpointProbe(),
                health,
                worker);
        SidecarServer server = new SidecarServer(
                new RpcGate(),
                this,
                config,
                endpoints,
                new CredentialsRpc(credentials),
                new StatsRpc(() ->
                        Optional.ofNullable(supervisor.snapshot().runtime()).map(RouterRuntime::stats)),
                claude);
        Launcher<CcrClient> launcher = CcrLauncher.serverLauncher(
                server, in, out, io, this::afterInitializeAnswer, RpcErrors::toResponseError);
        editor = launcher.getRemoteProxy();
        Future<Void> listening = launcher.startListening();
        io.execute(() -> {
            try {
                listening.get();
            } catch (Exception e) {
                // the stream failed: the same as its end
            }
            log.info("the editor closed the connection");
            exit(0);
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
                worker.execute(this::startTalking);
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
                    routing = options.claude().routing(target(), workspaceFolders);
                    watchClaudeSettings();
                    configSeen = supervisor.snapshot().config();
                    statusAtInitialize = status();
                    return statusAtInitialize;
                },
                worker);
    }

    /** After the handshake: keys, pushes and notifications may flow now. */
    private void startTalking() {
        if (capabilities.apiKeys()) {
            credentials.connect(editor);
        }
        if (capabilities.requestNotifications()) {
            push.enable();
        }
        configSent = config.current();
        publisher.activate(statusAtInitialize);
        stateChanged();
    }

    @Override
    public InitializeResult result(ServerStatus status) {
        List<String> sections = Arrays.stream(RouterConfig.class.getRecordComponents())
                .map(RecordComponent::getName)
                .toList();
        return new InitializeResult(
                ProtocolVersion.CURRENT,
                Version.current(),
                ProcessHandle.current().pid(),
                new ServerCapabilities(sections, true),
                status);
    }

    @Override
    public CompletableFuture<Void> shutdown() {
        log.info("shutdown requested");
        return CompletableFuture.runAsync(() -> supervisor.stop(SHUTDOWN_DRAIN), worker);
    }

    @Override
    public synchronized void exit(int status) {
        if (exited.isDone()) {
            return;
        }
        supervisor.stop(Duration.ZERO);
        if (settingsWatcher != null) {
            try {
                settingsWatcher.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        worker.shutdownNow();
        io.shutdownNow();
        log.info("sidecar stopped (exit status {})", status);
        exited.complete(status);
    }

    /** Each new proxy reports its requests to the endpoint health and, priced, to the editor. */
    private void wire(RouterRuntime runtime) {
        runtime.requestListeners().add(health);
        runtime.stats().subscribe(push);
        runtime.breakers().onChange((endpoint, view) -> health.circuitChanged(endpoint, view.state(), describe(view)));
        if (runtime.team() != null) {
            runtime.team().link().onStatusChange(publisher::changed);
            publisher.changed(); // it may have connected before it had a listener
        }
    }

    /** An open or half-open circuit in words for the status bar's tooltip. */
    private static String describe(BreakerView view) {
        if (view.state() == BreakerState.OPEN) {
            String until = java.time.LocalTime.ofInstant(
                            java.time.Instant.ofEpochMilli(view.openUntilMillis()), java.time.ZoneId.systemDefault())
                    .truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
                    .toString();
            return "skipped until " + until + " after repeated failures (" + view.reason() + ")";
        }
        return "one request is probing it after repeated failures (" + view.reason() + ")";
    }

    /** Something the editor is shown may have changed: the proxy, its config, Claude Code's settings. */
    private void stateChanged() {
        if (!answered) {
            return;
        }
        worker.execute(() -> {
            EffectiveConfig now = supervisor.snapshot().config();
            if (now != configSeen) {
                configSeen = now;
                if (now != null) {
                    health.retainOnly(
                            now.endpoints().stream().map(Endpoint::name).toList());
                }
                ConfigResult view = config.current();
                if (!view.equals(configSent)) {
                    configSent = view;
                    editor.configChanged(new ConfigChangedParams(view));
                }
            }
            routing = options.claude().routing(target(), workspaceFolders);
            publisher.changed();
        });
    }

    private ServerStatus status() {
        return StatusView.of(supervisor.snapshot(), health, routing, options.configFile(), options.overrides());
    }

    /** What Claude Code should use to reach this router: its address now, and its token if it has one. */
    private ClientEnvironment target() {
        ProxySupervisor.Snapshot snapshot = supervisor.snapshot();
        Optional<RunState> running = Optional.ofNullable(snapshot.runtime()).map(RouterRuntime::runState);
        if (snapshot.config() != null) {
            return ClientEnvironment.of(snapshot.config(), running);
        }
        String host = Objects.requireNonNullElse(options.overrides().host(), EffectiveConfig.DEFAULT_HOST);
        int port = Objects.requireNonNullElse(options.overrides().port(), EffectiveConfig.DEFAULT_PORT);
        return new ClientEnvironment(new RunState(0, host, port, "", "", 0, null, List.of(), null).baseUrl(), null);
    }

    private Consumer<EndpointTestProgressParams> progressSink() {
        return capabilities.endpointTestProgress()
                ? params -> worker.execute(() -> editor.endpointTestProgress(params))
                : null;
    }

    /** Claude Code's user settings change outside the editor too ({@code ccr claude}, by hand). */
    private void watchClaudeSettings() {
        Path file = options.claude().userSettings();
        if (settingsWatcher != null || !Files.isDirectory(file.getParent())) {
            return;
        }
        try {
            settingsWatcher = new ConfigWatcher(file, this::stateChanged);
        } catch (IOException e) {
            log.debug("cannot watch {}: {}", file, e.toString());
        }
    }

    /** Ends the sidecar when the editor that started it is gone (it may die without closing our input). */
    private void watchParent(ProcessHandle parent) {
        long startParent =
                ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(-1L);
        Thread watcher = daemons("ccr-parent-watch").newThread(() -> {
            while (!exited.isDone()) {
                boolean reparented =
                        ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(-1L) != startParent;
                if (!parent.isAlive() || (parent.pid() == startParent && reparented)) {
                    log.info("the editor process (pid {}) is gone", parent.pid());
                    exit(1);
                    return;
                }
                try {
                    Thread.sleep(PARENT_POLL.toMillis());
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        watcher.start();
    }

    private static ThreadFactory daemons(String name) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
