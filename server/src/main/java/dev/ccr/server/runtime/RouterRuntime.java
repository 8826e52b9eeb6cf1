package dev.ccr.server.runtime;

import dev.ccr.server.Version;
import dev.ccr.server.config.ConfigException;
import dev.ccr.server.config.ConfigHolder;
import dev.ccr.server.config.ConfigLoader;
import dev.ccr.server.config.ConfigProblem;
import dev.ccr.server.config.EffectiveConfig;
import dev.ccr.server.config.Endpoint;
import dev.ccr.server.config.Overrides;
import dev.ccr.server.config.WireFormat;
import dev.ccr.server.limits.FlowControl;
import dev.ccr.server.observe.Observability;
import dev.ccr.server.observe.RequestListeners;
import dev.ccr.server.observe.StatsQuery;
import dev.ccr.server.observe.http.StatsApi;
import dev.ccr.server.observe.metrics.RouterMetrics;
import dev.ccr.server.proxy.Forwarder;
import dev.ccr.server.proxy.InFlight;
import dev.ccr.server.proxy.PassthroughCodec;
import dev.ccr.server.proxy.RouterHttp;
import dev.ccr.server.proxy.TranslatingCodec;
import dev.ccr.server.proxy.UpstreamModelLists;
import dev.ccr.server.resilience.CircuitBreakers;
import dev.ccr.server.routing.RouteResolver;
import dev.ccr.server.team.Team;
import dev.ccr.server.translate.gemini.GeminiDialect;
import dev.ccr.server.translate.openai.OpenAiDialect;
import dev.ccr.server.upstream.EndpointCredentials;
import dev.ccr.server.upstream.Upstreams;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.file.FileSystemOptions;
import java.io.IOException;
import java.net.BindException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root: one Vert.x instance, the HTTP servers, the upstream pools, the config in force and its
 * watcher, and the state file. Started by {@code ccr start} and {@code ccr lsp}, and by tests.
 */
public final class RouterRuntime {
    private static final Logger log = LoggerFactory.getLogger(RouterRuntime.class);
    private static final long RELOAD_DEBOUNCE_MS = 150;
    /**
     * How long a config file may be missing before that counts as a deletion: some editors save by moving the old
     * file aside and writing a new one, and sync tools replace files the same way.
     */
    private static final long MISSING_GRACE_MS = 1_000;

    public static final Duration DEFAULT_DRAIN = Duration.ofSeconds(10);
    /** How long before the drain time runs out the requests still open are ended, so their last words are sent. */
    private static final long END_BEFORE_DRAIN_ENDS_MS = 250;

    private final Vertx vertx;
    private final ConfigHolder config;
    private final Upstreams upstreams;
    private final RequestListeners listeners;
    private final Observability observability;
    private final ResilienceStack resilience;
    private final InFlight inFlight;
    private final List<ProxyVerticle> servers;
    private final Options options;
    private final long startedAt = System.currentTimeMillis();
    private final List<Consumer<ConfigException>> reloadFailureListeners = new CopyOnWriteArrayList<>();
    private final List<Runnable> reloadSuccessListeners = new CopyOnWriteArrayList<>();
    private final int port;
    private ConfigWatcher watcher;
    private long reloadTimer = -1;
    /** Whether the pending reload already waited {@link #MISSING_GRACE_MS} for a missing file to come back. */
    private boolean waitedForMissingFile;

    private volatile boolean stopped;

    /**
     * How to run.
     *
     * @param configFile the file to (re)load; watched when {@code watch}
     * @param stateFiles where to record this instance, or {@code null} not to (tests)
     * @param mode {@code start} or {@code lsp}, recorded in the state file
     * @param eventLoops how many event loops (and HTTP server instances) to run
     * @param credentials where endpoint keys come from
     * @param home where the request log and the usage database go ({@code ~/.claude-code-router}); {@code null} keeps
     *     nothing on disk (metrics and live stats only)
     */
    public record Options(
            Path configFile,
            Overrides overrides,
            ConfigLoader loader,
            boolean watch,
            RunStateFiles stateFiles,
            String mode,
            int eventLoops,
            EndpointCredentials credentials,
            Path home) {

        public static Options forTests(Path configFile, ConfigLoader loader) {
            return new Options(
                    configFile, Overrides.NONE, loader, false, null, "test", 1, EndpointCredentials.CONFIG_ONLY, null);
        }
    }

    /** Thrown when the port cannot be bound, with a message fit for the command line. */
    public static final class StartException extends Exception {
        public StartException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private RouterRuntime(
            Vertx vertx,
            ConfigHolder config,
            Upstreams upstreams,
            RequestListeners listeners,
            Observability observability,
            ResilienceStack resilience,
            InFlight inFlight,
            List<ProxyVerticle> servers,
            Options options,
            int port) {
        this.resilience = resilience;
        this.inFlight = inFlight;
        this.listeners = listeners;
        this.observability = observability;
        this.vertx = vertx;
        this.config = config;
        this.upstreams = upstreams;
        this.servers = servers;
        this.options = options;
        this.port = port;
    }

    /** Starts serving {@code initial}; blocks until the port is bound. */
    public static RouterRuntime start(EffectiveConfig initial, Options options) throws StartException {
        Logging.apply(initial.logLevel());
        // The metrics registry's classes take a few hundred milliseconds to load: overlap that with Vert.x's start.
        CompletableFuture<RouterMetrics> metrics = CompletableFuture.supplyAsync(RouterMetrics::new);
        Vertx vertx = Vertx.vertx(new VertxOptions()
                .setEventLoopPoolSize(Math.max(1, options.eventLoops()))
                .setWorkerPoolSize(2)
                .setInternalBlockingPoolSize(2)
                // No .vertx cache directory in the user's working directory: ccr serves no files.
                .setFileSystemOptions(
                        new FileSystemOptions().setFileCachingEnabled(false).setClassPathResolvingEnabled(false)));
        ConfigHolder holder = new ConfigHolder(initial);
        Upstreams upstreams = new Upstreams(vertx);
        RouteResolver resolver = new RouteResolver();
        RequestListeners listeners = new RequestListeners();
        Observability observability =
                new Observability(initial, options.home(), Clock.systemDefaultZone(), metrics.join());
        listeners.add(observability);
        StatsApi ops = new StatsApi(observability, observability.metrics());
        Map<WireFormat, Forwarder> forwarders = Map.of(
                WireFormat.ANTHROPIC,
                new Forwarder(vertx, upstreams, new PassthroughCodec(options.credentials())),
                WireFormat.OPENAI,
                new Forwarder(
                        vertx,
                        upstreams,
                        new TranslatingCodec(
                                vertx, options.credentials(), new OpenAiDialect(), "OpenAI chat completions")),
                WireFormat.GEMINI,
                new Forwarder(
                        vertx,
                        upstreams,
                        new TranslatingCodec(
                                vertx, options.credentials(), new GeminiDialect(), "Gemini generateContent")));
        ResilienceStack resilience = new ResilienceStack(vertx, initial, forwarders, Clock.systemDefaultZone());
        UpstreamModelLists modelLists =
                new UpstreamModelLists(vertx, upstreams, options.credentials(), Clock.systemUTC());
        resilience.start(initial, observability);
        long startedAt = System.currentTimeMillis();
        Supplier<String> health = Health.of(startedAt, resilience.team());
        InFlight inFlight = new InFlight();
        List<ProxyVerticle> servers = new ArrayList<>();
        try {
            // All servers listen on the same port and Vert.x shares it among them. For "any free port" that takes a
            // negative port: with 0 each server would bind a port of its own, and joining the first one's port by
            // number fails as "already in use".
            int listenPort = initial.port() == 0 ? -1 : initial.port();
            ClientConnections connections =
                    new ClientConnections(holder, ProxyVerticle.options(initial.host(), listenPort));
            ProxyVerticle first = new ProxyVerticle(
                    initial.host(),
                    listenPort,
                    v -> RouterHttp.create(
                            v,
                            holder,
                            resolver,
                            resilience.dispatcher(),
                            resilience.caching(),
                            listeners,
                            health,
                            ops,
                            modelLists,
                            inFlight),
                    connections);
            vertx.deployVerticle(first).await();
            servers.add(first);
            int port = first.actualPort();
            for (int i = 1; i < options.eventLoops(); i++) {
                ProxyVerticle next = new ProxyVerticle(
                        initial.host(),
                        listenPort,
                        v -> RouterHttp.create(
                                v,
                                holder,
                                resolver,
                                resilience.dispatcher(),
                                resilience.caching(),
                                listeners,
                                health,
                                ops,
                                modelLists,
                                inFlight),
                        connections);
                vertx.deployVerticle(next).await();
                servers.add(next);
            }
            observability.open(port);
            RouterRuntime runtime = new RouterRuntime(
                    vertx, holder, upstreams, listeners, observability, resilience, inFlight, servers, options, port);
            runtime.afterStart();
            return runtime;
        } catch (Exception e) {
            vertx.close().await();
            observability.close();
            throw new StartException(describeBindFailure(initial, e), e);
        }
    }

    private void afterStart() {
        config.onChange(next -> {
            Logging.apply(next.logLevel());
            observability.configure(next);
            resilience.configure(next, observability);
            upstreams.retainOnly(next.endpoints());
            writeState();
        });
        writeState();
        if (options.watch()) {
            try {
                watcher = new ConfigWatcher(options.configFile(), this::scheduleReload);
                // An edit saved between loading the file and watching it raised no event; one look catches it (and
                // finds nothing new in the usual case).
                scheduleReload();
            } catch (IOException e) {
                log.warn("cannot watch {} for changes ({}); edits need a restart", options.configFile(), e.toString());
            }
        }
    }

    private static String describeBindFailure(EffectiveConfig config, Exception e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        if (root instanceof BindException || String.valueOf(root.getMessage()).contains("Address already in use")) {
            return "port " + config.port() + " on " + config.host() + " is already in use (is another ccr running?"
                    + " see 'ccr status'); choose another port in the config or with --port";
        }
        return "cannot listen on " + config.host() + ":" + config.port() + ": " + root.getMessage();
    }

    public int port() {
        return port;
    }

    public String host() {
        return config.current().host();
    }

    public ConfigHolder config() {
        return config;
    }

    public Vertx vertx() {
        return vertx;
    }

    /** Usage and recent requests, for the editor's dashboard. */
    public StatsQuery stats() {
        return observability;
    }

    /** Metrics, request log and usage history. */
    public Observability observability() {
        return observability;
    }

    /** Each endpoint's circuit breaker: the sidecar shows open and half-open circuits as the endpoint's health. */
    public CircuitBreakers breakers() {
        return resilience.breakers();
    }

    /** Team mode (docs/TEAM.md): the state shared through Redis and whether it is reachable; {@code null} without. */
    public Team team() {
        return resilience.team();
    }

    /** Limits, budgets and requests in flight per endpoint and client. */
    public FlowControl flow() {
        return resilience.flow();
    }

    /** The upstream connection pools. */
    public Upstreams upstreams() {
        return upstreams;
    }

    /** Where finished requests are reported; add a listener to observe them. */
    public RequestListeners requestListeners() {
        return listeners;
    }

    public long startedAt() {
        return startedAt;
    }

    /** The base URL clients use to reach this router. */
    public String baseUrl() {
        return runState().baseUrl();
    }

    /** Called with the problems of each config change that could not be applied. */
    public void onReloadFailure(Consumer<ConfigException> listener) {
        reloadFailureListeners.add(listener);
    }

    /**
     * Called after each reload that found a valid config, whether or not it changed anything: a file put back the
     * way it was after a broken edit clears the problems reported for that edit.
     */
    public void onReloadSuccess(Runnable listener) {
        reloadSuccessListeners.add(listener);
    }

    private void scheduleReload() {
        vertx.runOnContext(v -> {
            if (reloadTimer >= 0) {
                vertx.cancelTimer(reloadTimer);
            }
            waitedForMissingFile = false;
            reloadTimer = vertx.setTimer(RELOAD_DEBOUNCE_MS, id -> reloadUnlessBrieflyMissing());
        });
    }

    /** Reloads, giving a missing file one grace period to reappear before that is reported as a deletion. */
    private void reloadUnlessBrieflyMissing() {
        reloadTimer = -1;
        if (!waitedForMissingFile && fileWentMissing()) {
            waitedForMissingFile = true;
            reloadTimer = vertx.setTimer(MISSING_GRACE_MS, id -> reloadUnlessBrieflyMissing());
            return;
        }
        reload();
    }

    /** Whether the running config came from the file and the file is no longer there. */
    private boolean fileWentMissing() {
        return config.current().fromFile() && !Files.exists(options.configFile());
    }

    /**
     * Loads the config file again and applies it if it is valid; otherwise keeps the running config. A file that is
     * gone counts as invalid once the running config came from it: falling back to the built-in defaults would turn
     * off router tokens and send traffic elsewhere because of an accidental {@code rm} or a sync tool.
     */
    public Future<EffectiveConfig> reload() {
        return vertx.<ConfigLoader.Loaded>executeBlocking(this::loadForReload, false)
                .onSuccess(loaded -> {
                    apply(loaded);
                    reloadSuccessListeners.forEach(Runnable::run);
                })
                .onFailure(failure -> {
                    if (failure instanceof ConfigException problems) {
                        log.error(
                                "config change not applied; still running the previous config:\n{}",
                                problems.getMessage());
                        reloadFailureListeners.forEach(l -> l.accept(problems));
                    } else {
                        log.error("config reload failed", failure);
                    }
                })
                .map(ConfigLoader.Loaded::config);
    }

    private ConfigLoader.Loaded loadForReload() throws ConfigException {
        if (fileWentMissing()) {
            throw new ConfigException(new ConfigProblem(
                    options.configFile().toString(),
                    0,
                    0,
                    null,
                    "the config file is gone (deleted or moved); the router keeps running on the config it had and"
                            + " picks the file up again when it is back"));
        }
        return options.loader().load(options.configFile(), options.overrides());
    }

    private void apply(ConfigLoader.Loaded loaded) {
        if (stopped) {
            return;
        }
        EffectiveConfig next = loaded.config();
        EffectiveConfig running = config.current();
        if (next.equals(running)) {
            // The usual echo of an edit already applied (the editor's changes are applied, then written): nothing new.
            log.debug("config file changed; nothing new to apply");
            return;
        }
        if (next.port() != running.port() && running.port() != 0 || !next.host().equals(running.host())) {
            log.warn("port and host changes take effect after a restart; still listening on {}", baseUrl());
        }
        loaded.warnings().forEach(w -> log.warn("config: {}", w.format()));
        config.replace(next);
        log.info("config reloaded from {}: endpoints {}", options.configFile(), endpointNames(next));
    }

    /** Warns about config problems that do not stop the router. */
    public static void logWarnings(List<ConfigProblem> warnings) {
        warnings.forEach(w -> log.warn("config: {}", w.format()));
    }

    public RunState runState() {
        EffectiveConfig current = config.current();
        return new RunState(
                ProcessHandle.current().pid(),
                current.host(),
                port,
                Version.current(),
                options.mode(),
                startedAt,
                options.configFile() == null ? null : options.configFile().toString(),
                endpointNames(current),
                current.defaultEndpoint());
    }

    private void writeState() {
        if (options.stateFiles() == null) {
            return;
        }
        try {
            options.stateFiles().write(runState());
        } catch (IOException e) {
            log.warn("cannot write the state file ({}); 'ccr status' will not see this router", e.toString());
        }
    }

    private static List<String> endpointNames(EffectiveConfig config) {
        return config.endpoints().stream().map(Endpoint::name).toList();
    }

    /**
     * Stops accepting, gives in-flight requests up to {@code drain} to finish, then closes everything. Safe to call
     * more than once and from a shutdown hook.
     */
    public synchronized void stop(Duration drain) {
        if (stopped) {
            return;
        }
        stopped = true;
        if (watcher != null) {
            try {
                watcher.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        // Shortly before the servers close what is still open, each request still being answered is ended with an
        // error that says so (a stream with its event: error frame), rather than by a bare closed connection.
        long endAt = drain.toMillis() - END_BEFORE_DRAIN_ENDS_MS;
        if (endAt <= 0) {
            inFlight.endAll();
        } else {
            vertx.setTimer(endAt, id -> inFlight.endAll());
        }
        try {
            Future.all(servers.stream().map(s -> s.drain(drain.toMillis())).toList())
                    .eventually(() -> {
                        if (resilience.team() != null) {
                            resilience.team().close();
                        }
                        return vertx.close();
                    })
                    .toCompletionStage()
                    .toCompletableFuture()
                    .get(drain.toMillis() + 5_000, java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            log.warn("shutdown did not complete cleanly: {}", e.toString());
        } finally {
            // After the servers: requests that finished while draining are still logged and stored.
            observability.close();
            if (options.stateFiles() != null) {
                options.stateFiles().remove(port, ProcessHandle.current().pid());
            }
        }
    }
}
