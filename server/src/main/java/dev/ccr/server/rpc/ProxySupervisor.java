package dev.ccr.server.rpc;

import dev.ccr.protocol.status.ProxyState;
import dev.ccr.server.config.ConfigException;
import dev.ccr.server.config.ConfigLoader;
import dev.ccr.server.config.ConfigProblem;
import dev.ccr.server.config.EffectiveConfig;
import dev.ccr.server.config.Overrides;
import dev.ccr.server.runtime.RouterRuntime;
import dev.ccr.server.runtime.RunState;
import dev.ccr.server.runtime.RunStateFiles;
import dev.ccr.server.upstream.EndpointCredentials;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the HTTP proxy running for the editor's sidecar. Where {@code ccr start} stops with a message, the sidecar
 * must stay up and say what is wrong: a taken port or an unusable config leaves the proxy {@link ProxyState#FAILED}
 * with the reason, and it tries again when the config changes, and on its own after {@link #FIRST_RETRY}, waiting twice
 * as long after each failure up to {@link #LAST_RETRY}. A port or host change in the config restarts the proxy on the
 * new address.
 */
final class ProxySupervisor {
    private static final Logger log = LoggerFactory.getLogger(ProxySupervisor.class);
    static final Duration FIRST_RETRY = Duration.ofSeconds(5);
    static final Duration LAST_RETRY = Duration.ofSeconds(60);
    static final Duration RESTART_DRAIN = Duration.ofSeconds(2);

    /**
     * How to run the proxy.
     *
     * @param mode how the router was started ({@code lsp}, {@code start}), recorded for {@code ccr status}
     */
    record Settings(
            Path configFile,
            Overrides overrides,
            ConfigLoader loader,
            RunStateFiles stateFiles,
            Path home,
            int eventLoops,
            EndpointCredentials credentials,
            String mode) {}

    /**
     * What the editor is shown about the proxy.
     *
     * @param config the config in force, or the last one that loaded; null when none ever did
     * @param runtime the running proxy, or null
     */
    record Snapshot(
            ProxyState state,
            EffectiveConfig config,
            RouterRuntime runtime,
            String lastError,
            List<ConfigProblem> configProblems) {}

    private final Settings settings;
    private final ScheduledExecutorService worker;
    private final Consumer<RouterRuntime> onStarted;
    private final Runnable onChange;
    private volatile Snapshot snapshot = new Snapshot(ProxyState.STARTING, null, null, null, List.of());
    private ScheduledFuture<?> retry;
    private Duration nextRetry = FIRST_RETRY;

    /**
     * @param worker runs starts, restarts and retries, one at a time
     * @param onStarted wires each new runtime (request listeners, config listeners)
     * @param onChange told after every change of {@link #snapshot()}
     */
    ProxySupervisor(
            Settings settings, ScheduledExecutorService worker, Consumer<RouterRuntime> onStarted, Runnable onChange) {
        this.settings = settings;
        this.worker = worker;
        this.onStarted = onStarted;
        this.onChange = onChange;
    }

    Snapshot snapshot() {
        return snapshot;
    }

    Overrides overrides() {
        return settings.overrides();
    }

    /** Starts the proxy unless it runs; on the worker. */
    CompletableFuture<Void> start() {
        return CompletableFuture.runAsync(this::startNow, worker);
    }

    /**
     * Makes a changed config file take effect: a running proxy reloads it (the answer says whether that worked), a
     * failed one tries to start again.
     */
    CompletableFuture<Void> reload() {
        RouterRuntime runtime = snapshot.runtime();
        if (runtime == null) {
            nextRetry = FIRST_RETRY; // a new config deserves a prompt second look
            return start();
        }
        return runtime.reload().toCompletionStage().toCompletableFuture().handle((config, failure) -> null);
    }

    /** Stops the proxy for good. */
    synchronized void stop(Duration drain) {
        if (retry != null) {
            retry.cancel(false);
        }
        RouterRuntime runtime = snapshot.runtime();
        update(new Snapshot(ProxyState.STOPPED, snapshot.config(), null, null, List.of()));
        if (runtime != null) {
            runtime.stop(drain);
        }
    }

    private synchronized void startNow() {
        if (snapshot.state() == ProxyState.RUNNING || snapshot.state() == ProxyState.STOPPED) {
            return;
        }
        if (retry != null) {
            retry.cancel(false);
            retry = null;
        }
        ConfigLoader.Loaded loaded;
        try {
            loaded = settings.loader().load(settings.configFile(), settings.overrides());
        } catch (ConfigException e) {
            failed(null, "the config has problems, so the proxy is not running:\n" + e.getMessage(), e.problems());
            return;
        }
        RouterRuntime.logWarnings(loaded.warnings());
        try {
            RouterRuntime runtime = RouterRuntime.start(
                    loaded.config(),
                    new RouterRuntime.Options(
                            settings.configFile(),
                            settings.overrides(),
                            settings.loader(),
                            true,
                            settings.stateFiles(),
                            settings.mode(),
                            settings.eventLoops(),
                            settings.credentials(),
                            settings.home()));
            running(runtime);
            log.info("proxy listening on {}", runtime.baseUrl());
        } catch (RouterRuntime.StartException e) {
            failed(loaded.config(), describe(e, loaded.config()), List.of());
        }
    }

    /** Takes over a proxy started elsewhere ({@code ccr start} starts its own, to fail at once when it cannot). */
    synchronized void adopt(RouterRuntime runtime) {
        running(runtime);
    }

    private void running(RouterRuntime runtime) {
        runtime.onReloadFailure(this::reloadFailed);
        runtime.onReloadSuccess(() -> reloadSucceeded(runtime));
        runtime.config().onChange(next -> configApplied(runtime, next));
        onStarted.accept(runtime);
        nextRetry = FIRST_RETRY;
        update(new Snapshot(ProxyState.RUNNING, runtime.config().current(), runtime, null, List.of()));
    }

    private void failed(EffectiveConfig config, String why, List<ConfigProblem> problems) {
        log.warn("{}; trying again in {} s", why, nextRetry.toSeconds());
        update(new Snapshot(ProxyState.FAILED, config != null ? config : snapshot.config(), null, why, problems));
        retry = worker.schedule(this::startNow, nextRetry.toMillis(), TimeUnit.MILLISECONDS);
        nextRetry = nextRetry.multipliedBy(2).compareTo(LAST_RETRY) > 0 ? LAST_RETRY : nextRetry.multipliedBy(2);
    }

    /** A taken port is usually another ccr; say which, since requests then go there. */
    private String describe(RouterRuntime.StartException e, EffectiveConfig config) {
        if (settings.stateFiles() != null) {
            Optional<RunState> other = settings.stateFiles().live().stream()
                    .filter(s -> s.port() == config.port())
                    .findFirst();
            if (other.isPresent()) {
                return "port " + config.port() + " is taken by another ccr (pid "
                        + other.get().pid() + ", started"
                        + " with 'ccr " + other.get().mode() + "'), which serves Claude Code there; stop it, or choose"
                        + " another port in the config";
            }
        }
        return e.getMessage();
    }

    private void reloadFailed(ConfigException problems) {
        Snapshot now = snapshot;
        update(new Snapshot(
                now.state(),
                now.config(),
                now.runtime(),
                "config change not applied; the previous config stays in force:\n" + problems.getMessage(),
                problems.problems()));
    }

    /** The file is valid again (perhaps exactly as before a broken edit): the problems of that edit are over. */
    private void reloadSucceeded(RouterRuntime runtime) {
        Snapshot now = snapshot;
        if (now.runtime() == runtime
                && (now.lastError() != null || !now.configProblems().isEmpty())) {
            update(new Snapshot(now.state(), now.config(), runtime, null, List.of()));
        }
    }

    private void configApplied(RouterRuntime runtime, EffectiveConfig next) {
        Snapshot now = snapshot;
        if (now.runtime() != runtime) {
            return;
        }
        update(new Snapshot(now.state(), next, runtime, null, List.of()));
        boolean moved = (next.port() != runtime.port() && next.port() != 0)
                || !next.host().equals(runtime.host());
        if (moved) {
            worker.execute(() -> restart(runtime));
        }
    }

    private synchronized void restart(RouterRuntime running) {
        if (snapshot.runtime() != running) {
            return;
        }
        log.info("the config moves the proxy to another address; restarting it");
        update(new Snapshot(ProxyState.STARTING, snapshot.config(), null, null, List.of()));
        running.stop(RESTART_DRAIN);
        startNow();
    }

    private void update(Snapshot next) {
        snapshot = next;
        onChange.run();
    }
}
