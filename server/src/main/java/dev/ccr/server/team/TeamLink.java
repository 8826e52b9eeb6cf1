package dev.ccr.server.team;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ccr.server.config.EffectiveConfig;
import dev.ccr.server.config.RedisAddress;
import dev.ccr.server.json.Json;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.EventExecutor;
import io.vertx.core.Future;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.vertx.redis.client.ResponseType;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This instance's link to the team's Redis (docs/TEAM.md): its connections (one for commands on each event loop, so a
 * request's calls stay on its thread, pipelined; one subscribed to the team's channel), the scripts, and whether
 * Redis can be used right now.
 *
 * <p>Every call on the request path is bounded by {@code shared.timeoutMs}: a call that takes longer fails, and its
 * caller goes on with this instance's own state, for that request only. Whether Redis is usable at all is decided
 * apart from that, so a moment of slowness (a pause of the collector, a busy machine) costs a few local answers and
 * nothing more: the link goes down when a connection is lost, when the heartbeat, a PING every second, gets no
 * answer within {@value #HEARTBEAT_TIMEOUT_MS} ms, or when {@value #SLOW_CALLS_DOWN} calls in a row miss {@code
 * shared.timeoutMs} (a Redis that answers, but always too late, would otherwise make every request wait for it). Down, calls fail at once (no request waits on a Redis that is not
 * there), the change is logged once, and the link reconnects in the background with new connections; once it is back,
 * {@link #onUp} listeners bring the shared state up to date.
 *
 * <p>Messages on the team's channel are JSON objects with a {@code kind} and the {@code from} instance; an instance
 * never hears its own.
 */
public final class TeamLink implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TeamLink.class);
    private static final long HEARTBEAT_MS = 1_000;
    static final long HEARTBEAT_TIMEOUT_MS = 1_000;
    /** This many calls in a row past {@code shared.timeoutMs} take the link down: more than a passing pause makes. */
    static final int SLOW_CALLS_DOWN = 20;

    private static final long RECONNECT_FIRST_MS = 250;
    private static final long RECONNECT_MAX_MS = 2_000;
    private static final int CONNECT_TIMEOUT_MS = 1_000;
    /** Setting up a connection (AUTH, SELECT, the scripts) may take longer than one call on the request path. */
    private static final long SETUP_TIMEOUT_MS = 2_000;

    private final Vertx vertx;
    private final ContextInternal context;
    private final EffectiveConfig.Shared settings;
    private final Clock clock;
    private final RedisOptions options;
    private final String instance;
    private final String channel;
    private final long timeoutMillis;
    private final Map<String, Script> scripts = new ConcurrentHashMap<>();
    private final List<Runnable> upListeners = new CopyOnWriteArrayList<>();
    private final List<Runnable> statusListeners = new CopyOnWriteArrayList<>();
    private final Map<String, Consumer<JsonNode>> messageHandlers = new ConcurrentHashMap<>();
    private final AtomicLong fallbacks = new AtomicLong();
    private final AtomicInteger slowInARow = new AtomicInteger();
    private final java.util.Set<String> refusals = ConcurrentHashMap.newKeySet();

    /** The client of the current connections: a new one for each connection, so nothing stale is reused. */
    private volatile Redis client;

    private volatile RedisConnection commands;
    private RedisConnection subscriber;
    /**
     * A command connection of each event loop, so that a call made on a request's loop is written and answered on that
     * loop, with no hand-over to another thread; calls from elsewhere use {@link #commands}.
     */
    private final Map<EventLoop, RedisConnection> perLoop = new ConcurrentHashMap<>();

    private volatile boolean up;
    private volatile TeamStatus status;
    private long reconnectDelay = RECONNECT_FIRST_MS;
    private long heartbeat = -1;
    private boolean everUp;
    private volatile boolean closed;

    public TeamLink(Vertx vertx, EffectiveConfig.Shared settings, Clock clock) {
        this.vertx = vertx;
        this.context = ((VertxInternal) vertx).createEventLoopContext();
        this.settings = settings;
        this.clock = clock;
        this.timeoutMillis = settings.timeout().toMillis();
        this.options = options(settings);
        byte[] id = new byte[6];
        new SecureRandom().nextBytes(id);
        this.instance = ProcessHandle.current().pid() + "-" + HexFormat.of().formatHex(id);
        this.channel = settings.keyPrefix() + "events";
        this.status = new TeamStatus(settings.redis().display(), false, clock.millis(), "connecting", 0);
    }

    /** How to reach the team's Redis: the URL without credentials, which are passed on their own. */
    static RedisOptions options(EffectiveConfig.Shared settings) {
        RedisAddress redis = settings.redis();
        NetClientOptions net = new NetClientOptions()
                .setConnectTimeout(CONNECT_TIMEOUT_MS)
                .setTcpNoDelay(true)
                .setTcpKeepAlive(true);
        if (redis.tls()) {
            net.setSsl(true).setHostnameVerificationAlgorithm("HTTPS");
            if (settings.caFile() != null) {
                net.setTrustOptions(
                        new PemTrustOptions().addCertPath(settings.caFile().toString()));
            }
        }
        RedisOptions options = new RedisOptions()
                .setConnectionString(redis.connectionString())
                .setNetClientOptions(net)
                .setMaxPoolSize(2 + 64)
                .setMaxPoolWaiting(64);
        if (redis.user() != null) {
            options.setUser(redis.user());
        }
        if (redis.password() != null && redis.password().isAvailable()) {
            options.setPassword(redis.password().reveal());
        }
        return options;
    }

    /** Registers a script, loaded into Redis at each (re)connection; call before {@link #start}. */
    Script script(String name) {
        return scripts.computeIfAbsent(name, Script::load);
    }

    /** Connects in the background; until connected, the instance runs on its own state. */
    public void start() {
        context.runOnContext(v -> connect());
    }

    /** Whether Redis may be asked now; when not, callers use their own state at once. */
    public boolean up() {
        return up;
    }

    public TeamStatus status() {
        TeamStatus now = status;
        return new TeamStatus(now.store(), now.shared(), now.since(), now.lastError(), fallbacks.get());
    }

    /** Called (on the link's event loop) each time Redis becomes usable, the first time included. */
    void onUp(Runnable listener) {
        upListeners.add(listener);
    }

    /** Called (on the link's event loop) each time the link goes up or down. */
    public void onStatusChange(Runnable listener) {
        statusListeners.add(listener);
    }

    /** Handles the team's messages of one kind (on the link's event loop). */
    void onMessage(String kind, Consumer<JsonNode> handler) {
        messageHandlers.put(kind, handler);
    }

    /** A request was answered with this instance's own state instead of the shared one. */
    void fellBack() {
        fallbacks.incrementAndGet();
    }

    /** This instance's name in the team: unique per process start. */
    String instance() {
        return instance;
    }

    /** The key of that name, under the team's prefix. */
    String key(String name) {
        return settings.keyPrefix() + name;
    }

    EffectiveConfig.Shared settings() {
        return settings;
    }

    /** The team's channel, where each change of shared state is announced. */
    String channel() {
        return channel;
    }

    /**
     * Sends one command, bounded by {@code shared.timeoutMs}; fails at once while the link is down. The answer comes
     * on the calling event loop.
     */
    Future<Response> send(Request request) {
        RedisConnection connection = connectionHere();
        if (!up || connection == null) {
            return Future.failedFuture(new IllegalStateException("Redis is not reachable"));
        }
        return watch(connection.send(request).timeout(timeoutMillis, TimeUnit.MILLISECONDS), true);
    }

    /** Runs a script by its digest (loaded at connection; sent whole if Redis lost it meanwhile). */
    Future<Response> eval(Script script, List<String> keys, List<?> args) {
        return eval(script, keys, args, null);
    }

    /**
     * Runs a script for work no request waits on (a cost to add, a total to count, news to tell): not bounded by
     * {@code shared.timeoutMs}, so a slow answer is not mistaken for a lost one and the work is not done twice; it
     * fails when the connection is lost (the caller then keeps the work for later).
     */
    Future<Response> background(Script script, List<String> keys, List<?> args) {
        RedisConnection connection = connectionHere();
        if (!up || connection == null) {
            return Future.failedFuture(new IllegalStateException("Redis is not reachable"));
        }
        return watch(run(connection, script, keys, args), false);
    }

    /**
     * {@link #eval}, and when the answer comes only after the call timed out (the caller went on without it), {@code
     * late} gets it: what the script did is done, and may need undoing.
     */
    Future<Response> eval(Script script, List<String> keys, List<?> args, Consumer<Response> late) {
        RedisConnection connection = connectionHere();
        if (!up || connection == null) {
            return Future.failedFuture(new IllegalStateException("Redis is not reachable"));
        }
        Future<Response> answer = run(connection, script, keys, args);
        Future<Response> timed = answer.timeout(timeoutMillis, TimeUnit.MILLISECONDS);
        if (late != null) {
            timed.onFailure(failure -> {
                if (isTimeout(failure)) {
                    answer.onSuccess(late::accept);
                }
            });
        }
        return watch(timed, true);
    }

    /** By digest; the whole script if Redis does not know it (it restarted since the link loaded it). */
    private static Future<Response> run(RedisConnection connection, Script script, List<String> keys, List<?> args) {
        return connection
                .send(call(Command.EVALSHA, script.sha(), keys, args))
                .recover(failure -> failure instanceof Response error
                                && String.valueOf(((Throwable) error).getMessage())
                                        .startsWith("NOSCRIPT")
                        ? connection.send(call(Command.EVAL, script.source(), keys, args))
                        : Future.failedFuture(failure));
    }

    private static Request call(Command command, String script, List<String> keys, List<?> args) {
        Request request = Request.cmd(command).arg(script).arg(keys.size());
        keys.forEach(request::arg);
        for (Object arg : args) {
            if (arg instanceof byte[] bytes) {
                request.arg(bytes);
            } else if (arg instanceof Long number) {
                request.arg(number);
            } else if (arg instanceof Integer number) {
                request.arg(number);
            } else {
                request.arg(String.valueOf(arg));
            }
        }
        return request;
    }

    /**
     * A lost connection takes the link down; a slow call only fails, unless {@value #SLOW_CALLS_DOWN} calls bounded by
     * {@code shared.timeoutMs} ({@code bounded}) missed it in a row; and a Redis error reply (a script's bug, say) says
     * nothing about the link. Background calls, which wait as long as Redis takes, say nothing about its speed.
     */
    private Future<Response> watch(Future<Response> answer, boolean bounded) {
        return answer.andThen(result -> {
            if (result.succeeded()) {
                if (bounded) {
                    slowInARow.set(0);
                }
                return;
            }
            Throwable failure = result.cause();
            if (failure instanceof Response) {
                refused(failure.getMessage());
            } else if (isTimeout(failure)) {
                if (slowInARow.incrementAndGet() == SLOW_CALLS_DOWN) {
                    RedisConnection slow = connectionHere();
                    context.runOnContext(v -> down(
                            "Redis answered none of the last " + SLOW_CALLS_DOWN + " calls within " + timeoutMillis
                                    + " ms (shared.timeoutMs)",
                            slow));
                }
            } else {
                RedisConnection lost = connectionHere();
                context.runOnContext(v -> down(describe(failure), lost));
            }
        });
    }

    /** A refusal (a permission the ACL user lacks, say) is logged once per message, not once per request. */
    private void refused(String message) {
        if (refusals.size() < 32 && refusals.add(message)) {
            log.warn(
                    "Redis refused a call: {} (logged once; such calls are answered with this instance's state)",
                    message);
        } else {
            log.debug("Redis refused a call: {}", message);
        }
    }

    private static boolean isTimeout(Throwable failure) {
        return failure instanceof TimeoutException
                || failure instanceof io.netty.handler.timeout.TimeoutException
                || String.valueOf(failure.getMessage()).startsWith("Timeout ");
    }

    private void connect() {
        if (closed) {
            return;
        }
        Redis attempt = Redis.createClient(vertx, options);
        client = attempt;
        attempt.connect()
                .compose(connection -> setUp(connection).map(connection))
                .compose(connection -> attempt.connect()
                        .compose(listener -> subscribe(listener).map(listener))
                        .map(listener -> List.of(connection, listener)))
                .onComplete(result -> {
                    if (result.failed() || closed) {
                        attempt.close();
                        if (result.failed()) {
                            down(describe(result.cause()), null);
                        }
                        return;
                    }
                    established(result.result().get(0), result.result().get(1));
                });
    }

    /** Loads the scripts, so later calls go by digest. */
    private Future<Void> setUp(RedisConnection connection) {
        Future<Response> chain = connection.send(Request.cmd(Command.PING));
        for (Script script : scripts.values()) {
            chain = chain.compose(ok ->
                    connection.send(Request.cmd(Command.SCRIPT).arg("LOAD").arg(script.source())));
        }
        return chain.timeout(SETUP_TIMEOUT_MS, TimeUnit.MILLISECONDS).mapEmpty();
    }

    private Future<Void> subscribe(RedisConnection listener) {
        listener.handler(this::received);
        return listener.send(Request.cmd(Command.SUBSCRIBE).arg(channel))
                .timeout(SETUP_TIMEOUT_MS, TimeUnit.MILLISECONDS)
                .mapEmpty();
    }

    private void established(RedisConnection connection, RedisConnection listener) {
        connection.exceptionHandler(e -> context.runOnContext(v -> down(describe(e), connection)));
        connection.endHandler(v -> context.runOnContext(w -> down("the connection was closed", connection)));
        listener.exceptionHandler(e -> context.runOnContext(v -> down(describe(e), listener)));
        listener.endHandler(v -> context.runOnContext(w -> down("the connection was closed", listener)));
        commands = connection;
        subscriber = listener;
        reconnectDelay = RECONNECT_FIRST_MS;
        slowInARow.set(0);
        up = true;
        if (everUp) {
            log.info(
                    "Redis at {} is reachable again: limits, budgets, breakers and the cache are shared again",
                    settings.redis().display());
        } else {
            log.info(
                    "team mode: limits, budgets, breakers and the response cache are shared through Redis at {}",
                    settings.redis().display());
        }
        everUp = true;
        status = new TeamStatus(settings.redis().display(), true, clock.millis(), null, 0);
        upListeners.forEach(TeamLink::safely);
        statusListeners.forEach(TeamLink::safely);
        heartbeat = vertx.setPeriodic(HEARTBEAT_MS, id -> beat(connection));
        connectEachLoop(client);
    }

    /** The connection of the calling event loop, else the shared one. */
    private RedisConnection connectionHere() {
        ContextInternal current = ContextInternal.current();
        if (current != null) {
            RedisConnection mine = perLoop.get(current.nettyEventLoop());
            if (mine != null) {
                return mine;
            }
        }
        return commands;
    }

    /** Opens a command connection on each event loop (until they are there, calls use the shared one). */
    private void connectEachLoop(Redis owner) {
        VertxInternal internal = (VertxInternal) vertx;
        for (EventExecutor executor : internal.nettyEventLoopGroup()) {
            EventLoop loop = (EventLoop) executor;
            ContextInternal there = internal.contextBuilder()
                    .withEventLoop(loop)
                    .withThreadingModel(ThreadingModel.EVENT_LOOP)
                    .build();
            there.runOnContext(v -> owner.connect().onSuccess(connection -> {
                if (client != owner || !up) {
                    connection.close();
                    return;
                }
                connection.exceptionHandler(e -> context.runOnContext(w -> down(describe(e), connection)));
                connection.endHandler(w -> context.runOnContext(x -> down("the connection was closed", connection)));
                perLoop.put(loop, connection);
            }));
        }
    }

    /** Redis must answer a PING in time, or it is taken as gone until it answers again. */
    private void beat(RedisConnection connection) {
        if (!up || connection != commands) {
            return;
        }
        connection
                .send(Request.cmd(Command.PING))
                .timeout(HEARTBEAT_TIMEOUT_MS, TimeUnit.MILLISECONDS)
                .onFailure(failure -> context.runOnContext(v -> down(
                        isTimeout(failure)
                                ? "Redis did not answer within " + HEARTBEAT_TIMEOUT_MS + " ms"
                                : describe(failure),
                        connection)));
    }

    /** Goes down (once per outage: logged, listeners told) and schedules a reconnection. */
    private void down(String reason, RedisConnection which) {
        if (closed) {
            return;
        }
        if (up) {
            if (which != null && which != commands && which != subscriber && !perLoop.containsValue(which)) {
                return; // an old connection's late news
            }
            up = false;
            log.warn(
                    "Redis at {} is not usable ({}): each instance enforces limits, budgets and breakers on its own"
                            + " until it is back",
                    settings.redis().display(),
                    reason);
            closeConnections();
            status = new TeamStatus(settings.redis().display(), false, clock.millis(), reason, 0);
            statusListeners.forEach(TeamLink::safely);
            scheduleReconnect();
            return;
        }
        if (which != null) {
            return; // already down: the reconnection is scheduled
        }
        // A connection attempt failed.
        boolean first = "connecting".equals(status.lastError());
        if (first || !reason.equals(status.lastError())) {
            if (first) {
                log.warn(
                        "cannot reach Redis at {} ({}): this instance runs on its own state and keeps trying",
                        settings.redis().display(),
                        reason);
            } else {
                log.debug("Redis at {} still not usable: {}", settings.redis().display(), reason);
            }
            status = new TeamStatus(
                    settings.redis().display(), false, first ? clock.millis() : status.since(), reason, 0);
            statusListeners.forEach(TeamLink::safely);
        }
        scheduleReconnect();
    }

    private void scheduleReconnect() {
        long delay = reconnectDelay;
        reconnectDelay = Math.min(RECONNECT_MAX_MS, reconnectDelay * 2);
        vertx.setTimer(delay, id -> context.runOnContext(v -> connect()));
    }

    private void closeConnections() {
        if (heartbeat >= 0) {
            vertx.cancelTimer(heartbeat);
            heartbeat = -1;
        }
        RedisConnection connection = commands;
        RedisConnection listener = subscriber;
        commands = null;
        subscriber = null;
        perLoop.values().forEach(each -> each.exceptionHandler(null).endHandler(null));
        perLoop.clear();
        if (connection != null) {
            connection.exceptionHandler(null).endHandler(null);
        }
        if (listener != null) {
            listener.exceptionHandler(null).endHandler(null);
        }
        if (client != null) {
            client.close(); // closes its sockets: a connection that stalled is never used again
            client = null;
        }
    }

    private void received(Response push) {
        if (push == null || push.type() != ResponseType.PUSH && push.type() != ResponseType.MULTI || push.size() < 3) {
            return;
        }
        if (!"message".equals(push.get(0).toString())) {
            return;
        }
        JsonNode message;
        try {
            message = Json.MAPPER.readTree(push.get(2).toString());
        } catch (Exception e) {
            log.debug("ignoring a malformed team message: {}", e.toString());
            return;
        }
        if (instance.equals(message.path("from").asText()) || !message.isObject()) {
            return;
        }
        Consumer<JsonNode> handler = messageHandlers.get(message.path("kind").asText());
        if (handler != null) {
            try {
                handler.accept(message);
            } catch (RuntimeException e) {
                log.warn(
                        "cannot apply a team message of kind {}: {}",
                        message.path("kind").asText(),
                        e.toString());
            }
        }
    }

    private static String describe(Throwable failure) {
        String message = failure.getMessage();
        return message == null || message.isBlank() ? failure.getClass().getSimpleName() : message.strip();
    }

    private static void safely(Runnable listener) {
        try {
            listener.run();
        } catch (RuntimeException e) {
            log.warn("team listener failed: {}", e.toString());
        }
    }

    /** Stops using Redis (quietly: this is no outage) and closes the connections. */
    @Override
    public void close() {
        closed = true;
        up = false;
        context.runOnContext(v -> closeConnections());
    }
}
