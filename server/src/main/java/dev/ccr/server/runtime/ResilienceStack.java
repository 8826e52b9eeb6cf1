package dev.ccr.server.runtime;

import com.github.benmanes.caffeine.cache.Ticker;
import dev.ccr.server.balance.Balancer;
import dev.ccr.server.balance.LatencyTracker;
import dev.ccr.server.cache.LocalResponseCache;
import dev.ccr.server.cache.ResponseCache;
import dev.ccr.server.config.EffectiveConfig;
import dev.ccr.server.config.Endpoint;
import dev.ccr.server.config.WireFormat;
import dev.ccr.server.limits.FlowControl;
import dev.ccr.server.limits.LocalDailySpend;
import dev.ccr.server.limits.LocalLimiter;
import dev.ccr.server.observe.Observability;
import dev.ccr.server.observe.metrics.BreakerState;
import dev.ccr.server.observe.metrics.RouterMetrics;
import dev.ccr.server.proxy.Dispatcher;
import dev.ccr.server.proxy.Forwarder;
import dev.ccr.server.proxy.ResponseCaching;
import dev.ccr.server.resilience.BreakerView;
import dev.ccr.server.resilience.CircuitBreakers;
import dev.ccr.server.resilience.LocalCircuitBreakers;
import dev.ccr.server.resilience.RetryBudget;
import dev.ccr.server.team.Team;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What keeps failures from reaching the user (DESIGN §5, §7), built once per router and kept in step with the config:
 * circuit breakers, limits and budgets, the balancer's measurements, the retry budget and the response cache, in this
 * process's memory, or shared with the other instances of a team through Redis when the config has {@code shared}
 * (docs/TEAM.md; read at start). Registers each endpoint's breaker state and requests in flight as metrics.
 */
final class ResilienceStack {
    private static final Logger log = LoggerFactory.getLogger(ResilienceStack.class);

    private final Vertx vertx;
    private final Clock clock;
    private final CircuitBreakers breakers;
    private final FlowControl flow;
    private final LatencyTracker latency = new LatencyTracker();
    private final ResponseCache cache;
    /** Team mode, or {@code null}. */
    private final Team team;

    private final EffectiveConfig.Shared shared;
    private final Dispatcher dispatcher;
    private final ResponseCaching caching;
    private final Map<String, AutoCloseable> gauges = new HashMap<>();
    private boolean spendLoaded;

    ResilienceStack(Vertx vertx, EffectiveConfig config, Map<WireFormat, Forwarder> forwarders, Clock clock) {
        this.vertx = vertx;
        this.clock = clock;
        LocalCircuitBreakers localBreakers = new LocalCircuitBreakers(config.breaker(), clock);
        LocalLimiter clients = new LocalLimiter(clock, "client");
        LocalLimiter endpoints = new LocalLimiter(clock, "endpoint");
        LocalDailySpend spend = new LocalDailySpend(clock);
        LocalResponseCache localCache = new LocalResponseCache(config.cache(), Ticker.systemTicker());
        this.shared = config.shared();
        if (shared == null) {
            this.team = null;
            this.breakers = localBreakers;
            this.flow = new FlowControl(clients, endpoints, spend);
            this.cache = localCache;
        } else {
            this.team = new Team(vertx, config, clock, clients, endpoints, spend, localBreakers, localCache);
            this.breakers = team.breakers();
            this.flow = new FlowControl(team.clients(), team.endpoints(), team.spend());
            this.cache = team.cache();
        }
        this.dispatcher = new Dispatcher(
                vertx,
                forwarders,
                new Balancer(breakers, flow, latency),
                breakers,
                flow,
                latency,
                new RetryBudget(clock),
                clock);
        this.caching = new ResponseCaching(cache);
    }

    Dispatcher dispatcher() {
        return dispatcher;
    }

    ResponseCaching caching() {
        return caching;
    }

    CircuitBreakers breakers() {
        return breakers;
    }

    FlowControl flow() {
        return flow;
    }

    /** Team mode, or {@code null} when this instance keeps its own state. */
    Team team() {
        return team;
    }

    /** Spend counts against daily budgets; gauges follow the endpoints. */
    void start(EffectiveConfig config, Observability observability) {
        observability.subscribe(priced -> {
            if (priced.record().billable() && priced.record().client() != null) {
                flow.spent(priced.record().client(), priced.knownCost());
            }
        });
        if (team != null) {
            observability.subscribe(team.usage());
            observability.metrics().trackShared(() -> team.link().up(), () -> team.status()
                    .fallbacks());
            team.start();
        }
        configure(config, observability);
    }

    /** Applies a (re)loaded config. */
    synchronized void configure(EffectiveConfig config, Observability observability) {
        if (!java.util.Objects.equals(config.shared(), shared)) {
            log.warn("changes to \"shared\" (team mode) take effect after a restart");
        }
        List<String> names = config.endpoints().stream().map(Endpoint::name).toList();
        breakers.configure(config.breaker(), names);
        flow.endpoints().retainOnly(names);
        latency.retainOnly(names);
        cache.configure(config.cache());
        track(observability.metrics(), names);
        if (!spendLoaded && hasBudgets(config)) {
            spendLoaded = true;
            preloadSpend(observability);
        }
    }

    private void track(RouterMetrics metrics, List<String> names) {
        gauges.entrySet().removeIf(entry -> {
            if (names.contains(entry.getKey())) {
                return false;
            }
            try {
                entry.getValue().close();
            } catch (Exception ignored) {
                // a meter that is gone already
            }
            return true;
        });
        for (String name : names) {
            gauges.computeIfAbsent(name, endpoint -> {
                AutoCloseable circuit = metrics.trackCircuit(endpoint, () -> reported(breakers.view(endpoint)));
                AutoCloseable inFlight = metrics.trackEndpointInFlight(endpoint, () -> flow.inFlight(endpoint));
                return () -> {
                    circuit.close();
                    inFlight.close();
                };
            });
        }
    }

    /**
     * The state the gauge reports: an open circuit whose cool-down is over takes the next request as its probe, so it
     * is half-open from then on, though the breaker itself only moves when that request comes.
     */
    private BreakerState reported(BreakerView view) {
        return view.state() == BreakerState.OPEN && clock.millis() >= view.openUntilMillis()
                ? BreakerState.HALF_OPEN
                : view.state();
    }

    private static boolean hasBudgets(EffectiveConfig config) {
        return config.limits().defaults().dailyBudgetUsd() > 0
                || config.limits().tokens().values().stream().anyMatch(l -> l.dailyBudgetUsd() > 0);
    }

    /** Today's spend before this router started counts against budgets too: read it from the usage history. */
    private void preloadSpend(Observability observability) {
        LocalDate today = LocalDate.now(clock);
        long now = clock.millis();
        vertx.executeBlocking(() -> observability.spentByClient(today, now), false)
                .onSuccess(spent -> flow.spend().preload(today, spent))
                .onFailure(e -> log.warn(
                        "cannot read today's spend from the usage history ({}); budgets count from now", e.toString()));
    }
}
