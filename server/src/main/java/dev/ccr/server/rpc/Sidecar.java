package dev.ccr.server.rpc;

import dev.ccr.protocol.ProtocolVersion;
import dev.ccr.protocol.config.ConfigResult;
import dev.ccr.protocol.lifecycle.InitializeResult;
import dev.ccr.protocol.lifecycle.ServerCapabilities;
import dev.ccr.protocol.router.RouterExitingParams;
import dev.ccr.protocol.router.StopReason;
import dev.ccr.protocol.router.WhenEditorsClose;
import dev.ccr.protocol.status.RouterLifetime;
import dev.ccr.protocol.status.RoutingState;
import dev.ccr.protocol.status.ServerStatus;
import dev.ccr.server.Version;
import dev.ccr.server.claude.ClaudeSettings;
import dev.ccr.server.claude.ClaudeSettingsException;
import dev.ccr.server.claude.ClientEnvironment;
import dev.ccr.server.config.ConfigFileEditor;
import dev.ccr.server.config.ConfigLoader;
import dev.ccr.server.config.EffectiveConfig;
import dev.ccr.server.config.Endpoint;
import dev.ccr.server.config.Overrides;
import dev.ccr.server.config.RouterConfig;
import dev.ccr.server.observe.EndpointHealthTracker;
import dev.ccr.server.observe.metrics.BreakerState;
import dev.ccr.server.resilience.BreakerView;
import dev.ccr.server.rpc.socket.EditorSocket;
import dev.ccr.server.runtime.ConfigWatcher;
import dev.ccr.server.runtime.LogbackSetup;
import dev.ccr.server.runtime.RouterRuntime;
import dev.ccr.server.runtime.RunState;
import dev.ccr.server.runtime.RunStateFiles;
import dev.ccr.server.upstream.EndpointCredentials;
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
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The router as editors see it: the HTTP proxy plus the JSON-RPC protocol, for one editor on a pair of streams
 * ({@code ccr lsp}), or for every editor of the user that attaches to its local socket ({@code ccr lsp --shared},
 * {@code ccr start}). It composes the proxy supervisor, the protocol's services and what feeds them; each connection is
 * an {@link EditorSession}. How long it lives is its {@link RouterLifetime}:
 *
 * <ul>
 *   <li>{@link RouterLifetime#EDITOR}: it ends itself (see {@link #exited()}) when its editor says {@code exit}, when its
 *       input ends, or when its parent process dies;
 *   <li>{@link RouterLifetime#SHARED}: it stays while any editor is attached; once the last has gone and
 *       {@link Options#linger()} has passed without another attaching (a window reloading), it keeps serving if Claude
 *       Code is routed through it and that editor chose {@link WhenEditorsClose#KEEP_SERVING}, turns routing off first
 *       if it chose {@link WhenEditorsClose#TURN_ROUTING_OFF}, and otherwise exits;
 *   <li>{@link RouterLifetime#STANDALONE}: it runs until stopped, only acting on {@link WhenEditorsClose#TURN_ROUTING_OFF}.
 * </ul>
 *
 * <p>All protocol work that touches files or builds views runs on one worker thread, so it is ordered and never blocks
 * an event loop; nothing is sent to an editor before the answer to its {@code initialize} is on the wire.
 */
public final class Sidecar {
    private static final Logger log = LoggerFactory.getLogger(Sidecar.class);
    /** How long requests in flight may finish after {@code shutdown} or {@code router/stop}. */
    static final Duration SHUTDOWN_DRAIN = Duration.ofSeconds(2);

    /** How long a shared router waits, once its last editor has gone, for one to attach before acting on it. */
    public static final Duration LINGER = Duration.ofSeconds(10);

    static final Duration PARENT_POLL = Duration.ofMillis(200);

    /**
     * How to run.
     *
     * @param stateFiles where to record this instance for {@code ccr status}, or null (tests)
     * @param parent the process whose death ends the editor session on standard input and output, or null
     * @param lifetime how long the process lives; see the class comment
     * @param linger see {@link #LINGER}
     * @param logDirectory where a shared router's log goes once the editor that started it (and read its stderr) has
     *     gone; null keeps logging to stderr
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
            ProcessHandle parent,
            RouterLifetime lifetime,
            Duration linger,
            Path logDirectory) {

        /** A router of one editor, as {@code ccr lsp} runs it. */
        public Options(
                Path configFile,
                Overrides overrides,
                ConfigLoader loader,
                RunStateFiles stateFiles,
                Path home,
                int eventLoops,
                ClaudeSettings claude,
                Duration credentialsTimeout,
                ProcessHandle parent) {
            this(
                    configFile,
                    overrides,
                    loader,
                    stateFiles,
                    home,
                    eventLoops,
                    claude,
                    credentialsTimeout,
                    parent,
                    RouterLifetime.EDITOR,
                    LINGER,
                    null);
        }

        /** The same with another lifetime. */
        public Options withLifetime(RouterLifetime lifetime, Duration linger, Path logDirectory) {
            return new Options(
                    configFile,
                    overrides,
                    loader,
                    stateFiles,
                    home,
                    eventLoops,
                    claude,
                    credentialsTimeout,
                    parent,
                    lifetime,
                    linger,
                    logDirectory);
        }
    }

    private final Options options;
    /** Work submitted while the router exits (a request finishing, say) is dropped rather than thrown at its caller. */
    private final ScheduledExecutorService worker =
            new ScheduledThreadPoolExecutor(1, daemons("ccr-rpc"), new ThreadPoolExecutor.DiscardPolicy());

    private final ExecutorService io = Executors.newCachedThreadPool(daemons("ccr-rpc-io"));
    private final EditorCredentials credentials;
    private final EndpointHealthTracker health = new EndpointHealthTracker();
    private final ProxySupervisor supervisor;
    private final ConfigRpc config;
    private final StatsRpc stats;
    private final CompletableFuture<Integer> exited = new CompletableFuture<>();
    private final List<EditorSession> sessions = new CopyOnWriteArrayList<>();
    private final AtomicInteger connections = new AtomicInteger();
    private EditorSession stdio;
    private EditorSocket socket;
    private EditorSession lastToLeave;
    private ScheduledFuture<?> lingering;
    private boolean closing;
    private EffectiveConfig configSeen;
    private ConfigResult configView;
    private ConfigWatcher settingsWatcher;

    /** Starts the proxy of a standalone router, with the router's credentials. */
    @FunctionalInterface
    public interface ProxyStart {
        RouterRuntime start(EndpointCredentials credentials) throws RouterRuntime.StartException;
    }

    private Sidecar(Options options) {
        this.options = options;
        this.credentials = new EditorCredentials(worker, options.credentialsTimeout());
        this.supervisor = new ProxySupervisor(
                new ProxySupervisor.Settings(
                        options.configFile(),
                        options.overrides(),
                        options.loader(),
                        options.stateFiles(),
                        options.home(),
                        options.eventLoops(),
                        credentials,
                        options.lifetime() == RouterLifetime.STANDALONE ? "start" : "lsp"),
                worker,
                this::wire,
                this::stateChanged);
        this.config = new ConfigRpc(
                supervisor,
                new ConfigFileEditor(options.configFile(), options.loader(), options.overrides()),
                options.loader(),
                worker);
        this.stats = new StatsRpc(
                () -> Optional.ofNullable(supervisor.snapshot().runtime()).map(RouterRuntime::stats));
        health.onChange(this::stateChanged);
    }

    /** Starts a router for the editor on these streams: the protocol at once, the proxy in the background. */
    public static Sidecar start(Options options, InputStream in, OutputStream out) {
        Sidecar router = new Sidecar(options);
        router.supervisor.start();
        EditorSession session = new EditorSession(router, "stdio", () -> {});
        synchronized (router) {
            router.stdio = session;
            router.sessions.add(session);
        }
        session.connect(in, out);
        if (options.parent() != null) {
            router.watchParent(options.parent(), session);
        }
        return router;
    }

    /**
     * A router without an editor of its own ({@code ccr start}); editors may attach to its socket. Its proxy is started
     * at once and here, so that a taken port or an unusable address fails the command rather than being retried.
     */
    public static Sidecar standalone(Options options, ProxyStart start) throws RouterRuntime.StartException {
        Sidecar router = new Sidecar(options.withLifetime(RouterLifetime.STANDALONE, options.linger(), null));
        try {
            router.supervisor.adopt(start.start(router.credentials));
        } catch (RouterRuntime.StartException | RuntimeException e) {
            router.exit(1);
            throw e;
        }
        return router;
    }

    /** Serves editors that attach to this socket, until the router exits; the socket is closed with it. */
    public synchronized void serve(EditorSocket socket) {
        this.socket = socket;
        socket.serve(this::attach);
        log.info("editors can attach at {}", socket.path());
    }

    private void attach(EditorSocket.Connection connection) {
        EditorSession session;
        synchronized (this) {
            if (closing) {
                connection.close();
                return;
            }
            session = new EditorSession(this, "socket #" + connections.incrementAndGet(), connection::close);
            sessions.add(session);
            if (lingering != null) {
                lingering.cancel(false);
                lingering = null;
            }
        }
        session.connect(connection.input(), connection.output());
    }

    /** Completes with the exit status once the router has stopped. */
    public CompletableFuture<Integer> exited() {
        return exited;
    }

    /** The running proxy, if it is running. */
    public Optional<RouterRuntime> runtime() {
        return Optional.ofNullable(supervisor.snapshot().runtime());
    }

    /**
     * Stops the router for every editor: each is told why first, requests in flight get {@code drain} to finish, then
     * the process's {@link #exited()} completes with status 0. Completes once the proxy has stopped.
     */
    public CompletableFuture<Void> stop(StopReason reason, String message, Duration drain) {
        synchronized (this) {
            closing = true;
        }
        CompletableFuture<Void> stopped = new CompletableFuture<>();
        Runnable stopping = () -> {
            RouterExitingParams params = new RouterExitingParams(reason, message);
            sessions.forEach(session -> session.exiting(params));
            closeSocket();
            supervisor.stop(drain);
            stopped.complete(null);
            // After the answer to router/stop is on the wire, which completing the future wrote.
            io.execute(() -> exit(0));
        };
        if (exited.isDone() || worker.isShutdown()) {
            stopped.complete(null);
        } else {
            worker.execute(stopping);
        }
        return stopped;
    }

    /**
     * Ends the process with this status at once, closing every editor's connection. Safe to call more than once, from
     * any thread.
     */
    public synchronized void exit(int status) {
        if (exited.isDone()) {
            return;
        }
        closing = true;
        closeSocket();
        supervisor.stop(Duration.ZERO);
        if (settingsWatcher != null) {
            try {
                settingsWatcher.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        sessions.forEach(EditorSession::close);
        worker.shutdownNow();
        io.shutdownNow();
        log.info("router stopped (exit status {})", status);
        exited.complete(status);
    }

    private synchronized void closeSocket() {
        if (socket != null) {
            socket.close();
        }
    }

    // ---- what sessions share and ask for -----------------------------------------------------------------------

    ScheduledExecutorService worker() {
        return worker;
    }

    ExecutorService io() {
        return io;
    }

    EditorCredentials credentials() {
        return credentials;
    }

    EndpointHealthTracker health() {
        return health;
    }

    ProxySupervisor supervisor() {
        return supervisor;
    }

    ConfigLoader loader() {
        return options.loader();
    }

    ConfigRpc configRpc() {
        return config;
    }

    StatsRpc statsRpc() {
        return stats;
    }

    ClaudeSettings claude() {
        return options.claude();
    }

    /** The config as {@code config/get} shows it, as of the last change; on the worker. */
    ConfigResult configView() {
        if (configView == null) {
            configView = config.current();
        }
        return configView;
    }

    InitializeResult initializeResult(ServerStatus status) {
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

    /** The status an editor whose folders give this routing state is shown. */
    ServerStatus status(RoutingState routing) {
        return StatusView.of(
                supervisor.snapshot(),
                health,
                routing,
                options.configFile(),
                options.overrides(),
                sessions.size(),
                options.lifetime());
    }

    /** Whether Claude Code, opened in these folders, sends its requests here. */
    RoutingState routingFor(List<Path> folders) {
        return options.claude().routing(target(), folders);
    }

    /**
     * A shared router may go on serving once the editors that keep the keys have gone: it asks for every key it may need
     * while one is there (when an editor attaches, and when the config changes).
     */
    void prefetchKeys() {
        EffectiveConfig config = supervisor.snapshot().config();
        if (options.lifetime() != RouterLifetime.EDITOR && config != null) {
            credentials.prefetch(config.endpoints());
        }
    }

    /** {@code shutdown} from an editor: a router of one editor stops its proxy; a shared one only lets it go. */
    CompletableFuture<Void> shutdownRequested(EditorSession session) {
        if (options.lifetime() == RouterLifetime.EDITOR) {
            return CompletableFuture.runAsync(() -> supervisor.stop(SHUTDOWN_DRAIN), worker);
        }
        return CompletableFuture.completedFuture(null);
    }

    /** {@code exit} from an editor. */
    void exitRequested(EditorSession session, int status) {
        if (options.lifetime() == RouterLifetime.EDITOR) {
            exit(status);
        } else {
            session.end(status);
        }
    }

    /** An editor's connection has ended, for whatever reason. */
    void sessionEnded(EditorSession session, int status) {
        if (options.lifetime() == RouterLifetime.EDITOR) {
            exit(status);
            return;
        }
        synchronized (this) {
            sessions.remove(session);
            lastToLeave = session;
            if (session == stdio && options.logDirectory() != null) {
                // Its stderr was that editor's pipe: from now on nobody reads it.
                logToFile();
            }
            log.info("{} left; {} editor(s) attached", session.describe(), sessions.size());
            if (sessions.isEmpty() && !closing) {
                linger();
            }
        }
        stateChanged();
    }

    private synchronized void linger() {
        if (lingering != null) {
            lingering.cancel(false);
        }
        lingering = worker.schedule(this::lastEditorGone, options.linger().toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The last editor left a while ago and none came back; on the worker. */
    private void lastEditorGone() {
        WhenEditorsClose wish;
        synchronized (this) {
            lingering = null;
            if (!sessions.isEmpty() || closing) {
                return;
            }
            wish = lastToLeave == null ? WhenEditorsClose.KEEP_SERVING : lastToLeave.whenEditorsClose();
        }
        boolean routed = routingFor(List.of()) != RoutingState.OFF;
        if (routed && wish == WhenEditorsClose.TURN_ROUTING_OFF) {
            try {
                String message = options.claude().disable(target(), List.of()).message();
                log.info("the editors have closed: routing turned off as chosen ({})", message);
                routed = false;
            } catch (ClaudeSettingsException e) {
                log.warn("the editors have closed, but routing could not be turned off: {}", e.getMessage());
            }
        }
        if (options.lifetime() == RouterLifetime.STANDALONE) {
            return;
        }
        if (routed) {
            log.info(
                    "the editors have closed; Claude Code is routed here, so the router keeps serving on {}",
                    target().baseUrl());
            return;
        }
        synchronized (this) {
            if (!sessions.isEmpty()) {
                return;
            }
            closing = true;
        }
        log.info("the editors have closed and Claude Code is not routed here; the router exits");
        closeSocket();
        supervisor.stop(SHUTDOWN_DRAIN);
        io.execute(() -> exit(0));
    }

    private void logToFile() {
        int port = runtime().map(RouterRuntime::port).orElse(0);
        Path file = options.logDirectory().resolve("ccr-" + (port == 0 ? "lsp" : port) + ".log");
        try {
            LogbackSetup.redirectToFile(file);
            log.info(
                    "the editor that started this router (pid {}) has gone; logging here",
                    ProcessHandle.current().pid());
        } catch (IOException e) {
            log.warn("cannot log to {}: {}", file, e.toString());
        }
    }

    /** Each new proxy reports its requests to the endpoint health and, priced, to the editors. */
    private void wire(RouterRuntime runtime) {
        runtime.requestListeners().add(health);
        runtime.stats().subscribe(record -> sessions.forEach(session -> session.requestCompleted(record)));
        runtime.breakers().onChange((endpoint, view) -> health.circuitChanged(endpoint, view.state(), describe(view)));
        if (runtime.team() != null) {
            runtime.team().link().onStatusChange(this::stateChanged);
            stateChanged(); // it may have connected before it had a listener
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

    /**
     * Something the editors are shown may have changed: the proxy, its config, Claude Code's settings, the editors
     * attached. Each editor's view is brought up to date; a shared router without editors looks again at whether it is
     * still needed.
     */
    void stateChanged() {
        worker.execute(() -> {
            EffectiveConfig now = supervisor.snapshot().config();
            ConfigResult changedView = null;
            if (now != configSeen) {
                configSeen = now;
                if (now != null) {
                    health.retainOnly(
                            now.endpoints().stream().map(Endpoint::name).toList());
                }
                ConfigResult view = config.current();
                if (!view.equals(configView)) {
                    configView = view;
                    changedView = view;
                }
                prefetchKeys();
            }
            for (EditorSession session : sessions) {
                session.refresh(changedView);
            }
            boolean idle;
            synchronized (this) {
                idle = sessions.isEmpty() && lingering == null && !closing && lastToLeave != null;
            }
            if (idle && options.lifetime() == RouterLifetime.SHARED && routingFor(List.of()) == RoutingState.OFF) {
                // Kept serving for Claude Code, which no longer uses it ('ccr claude disable', say).
                linger();
            }
        });
    }

    /** What Claude Code should use to reach this router: its address now, and its token if it has one. */
    ClientEnvironment target() {
        ProxySupervisor.Snapshot snapshot = supervisor.snapshot();
        Optional<RunState> running = Optional.ofNullable(snapshot.runtime()).map(RouterRuntime::runState);
        if (snapshot.config() != null) {
            return ClientEnvironment.of(snapshot.config(), running);
        }
        String host = Objects.requireNonNullElse(options.overrides().host(), EffectiveConfig.DEFAULT_HOST);
        int port = Objects.requireNonNullElse(options.overrides().port(), EffectiveConfig.DEFAULT_PORT);
        return new ClientEnvironment(new RunState(0, host, port, "", "", 0, null, List.of(), null).baseUrl(), null);
    }

    /** Claude Code's user settings change outside the editor too ({@code ccr claude}, by hand). */
    synchronized void watchClaudeSettings() {
        Path file = options.claude().userSettings();
        if (settingsWatcher != null || closing || !Files.isDirectory(file.getParent())) {
            return;
        }
        try {
            settingsWatcher = new ConfigWatcher(file, this::stateChanged);
        } catch (IOException e) {
            log.debug("cannot watch {}: {}", file, e.toString());
        }
    }

    /**
     * Notices that the editor that started this process is gone (it may die without closing our input): a router of
     * one editor exits, a shared one lets that editor's session go.
     */
    private void watchParent(ProcessHandle parent, EditorSession session) {
        long startParent =
                ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(-1L);
        Thread watcher = daemons("ccr-parent-watch").newThread(() -> {
            while (!exited.isDone()) {
                boolean reparented =
                        ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(-1L) != startParent;
                if (!parent.isAlive() || (parent.pid() == startParent && reparented)) {
                    log.info("the editor process (pid {}) is gone", parent.pid());
                    session.end(1);
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
