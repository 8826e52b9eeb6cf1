package dev.ccr.server.balance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ccr.server.config.ConfigLoader;
import dev.ccr.server.config.EffectiveConfig;
import dev.ccr.server.config.Endpoint;
import dev.ccr.server.config.Overrides;
import dev.ccr.server.limits.FlowControl;
import dev.ccr.server.limits.LocalDailySpend;
import dev.ccr.server.limits.LocalLimiter;
import dev.ccr.server.limits.Permit;
import dev.ccr.server.resilience.BreakerPass;
import dev.ccr.server.resilience.LocalCircuitBreakers;
import dev.ccr.server.routing.MessagesRequest;
import dev.ccr.server.routing.Route;
import dev.ccr.server.routing.RouteResolver;
import dev.ccr.server.routing.Target;
import dev.ccr.server.testing.ManualClock;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** How each strategy spreads requests, counted over many requests with nothing left to chance. */
class BalancerTest {
    private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final LocalCircuitBreakers breakers = new LocalCircuitBreakers(EffectiveConfig.Breaker.DEFAULTS, clock);
    private final FlowControl flow = new FlowControl(
            new LocalLimiter(clock, "client"), new LocalLimiter(clock, "endpoint"), new LocalDailySpend(clock));
    private final LatencyTracker latency = new LatencyTracker();
    private final Balancer balancer = new Balancer(breakers, flow, latency);

    private static Route route(String strategy, String extra) {
        String text =
                """
                {"endpoints": [
                  {"name": "a", "type": "anthropic", "baseUrl": "http://a.test/v1", "weight": 3 %1$s},
                  {"name": "b", "type": "anthropic", "baseUrl": "http://b.test/v1"},
                  {"name": "c", "type": "anthropic", "baseUrl": "http://c.test/v1", "weight": 2}
                 ],
                 "routes": {"default": {"targets": ["a", "b", "c"], "strategy": "%2$s"}}}
                """
                        .formatted(extra, strategy);
        try {
            EffectiveConfig config = new ConfigLoader(name -> null)
                    .parse(text.getBytes(StandardCharsets.UTF_8), Path.of("c.json"), Overrides.NONE)
                    .config();
            return new RouteResolver()
                    .resolve(
                            MessagesRequest.parse(Buffer.buffer("{\"model\":\"claude-sonnet-4-5\"}")),
                            header -> null,
                            config);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static Route route(String strategy) {
        return route(strategy, "");
    }

    /** How many of {@code n} requests each endpoint got first. */
    private Map<String, Integer> firsts(Route route, int n) {
        Map<String, Integer> counts = new TreeMap<>();
        for (int i = 0; i < n; i++) {
            counts.merge(first(route), 1, Integer::sum);
        }
        return counts;
    }

    private String first(Route route) {
        return balancer.order(route, "local").get(0).endpoint().name();
    }

    private static List<String> names(List<Target> targets) {
        return targets.stream().map(t -> t.endpoint().name()).toList();
    }

    @Test
    void failoverAlwaysStartsWithTheFirstAvailableTarget() {
        Route route = route("failover");
        assertThat(firsts(route, 100)).containsExactly(Map.entry("a", 100));
        assertThat(names(balancer.order(route, "local"))).containsExactly("a", "b", "c");
    }

    @Test
    void roundRobinTakesTurnsExactly() {
        assertThat(firsts(route("round-robin"), 300))
                .containsExactly(Map.entry("a", 100), Map.entry("b", 100), Map.entry("c", 100));
    }

    @Test
    void weightedSharesFollowTheWeightsExactlyOverWholeCycles() {
        // Weights 3, 1, 2: six turns per cycle.
        assertThat(firsts(route("weighted"), 600))
                .containsExactly(Map.entry("a", 300), Map.entry("b", 100), Map.entry("c", 200));
    }

    @Test
    void theRestFollowInTheOrderWrittenAndUnavailableTargetsComeLast() {
        Route route = route("round-robin");
        open("a");
        List<List<String>> orders = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            orders.add(names(balancer.order(route, "local")));
        }
        assertThat(orders).containsExactlyInAnyOrder(List.of("b", "c", "a"), List.of("c", "b", "a"));
    }

    @Test
    void aStrategyOnlyPicksAmongAvailableTargets() {
        Route route = route("weighted");
        open("a");
        assertThat(firsts(route, 300)).containsExactly(Map.entry("b", 100), Map.entry("c", 200));
    }

    @Test
    void leastBusyPicksTheFewestInFlightPerWeight() {
        Route route = route("least-busy");
        assertThat(first(route)).as("all idle: the first written").isEqualTo("a");
        List<Permit> held = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            held.add(inFlight("a"));
        }
        // a: 3 in flight / weight 3 = 1; b: 0; c: 0. Ties go to the first written.
        assertThat(first(route)).isEqualTo("b");
        held.add(inFlight("b"));
        held.add(inFlight("c"));
        // a: 1, b: 1, c: 0.5
        assertThat(first(route)).isEqualTo("c");
        held.forEach(p -> p.release(-1));
        assertThat(first(route)).isEqualTo("a");
    }

    @Test
    void anEndpointAtItsConcurrencyLimitIsSkipped() {
        Route route = route("failover", ", \"maxConcurrent\": 1");
        Permit permit = (Permit) flow.admitEndpoint(endpoint(route, "a"), 0).result();
        assertThat(names(balancer.order(route, "local"))).containsExactly("b", "c", "a");
        permit.release(0);
        assertThat(first(route)).isEqualTo("a");
    }

    @Test
    void lowestLatencyTriesUnmeasuredEndpointsThenPrefersTheFastestAndKeepsOthersFresh() {
        Route route = route("lowest-latency");
        assertThat(first(route)).isEqualTo("a");
        latency.record("a", 900, clock.millis());
        assertThat(first(route)).as("b was never measured").isEqualTo("b");
        latency.record("b", 300, clock.millis());
        latency.record("c", 600, clock.millis());
        clock.advance(Duration.ofSeconds(1));
        latency.record("b", 300, clock.millis());
        latency.record("c", 600, clock.millis());
        // a is slowest and measured longest ago: it gets one request in twenty, so its average can recover.
        Map<String, Integer> counts = firsts(route, Balancer.EXPLORE_EVERY * 5);
        assertThat(counts).containsEntry("a", 5).containsEntry("b", Balancer.EXPLORE_EVERY * 5 - 5);
    }

    @Test
    void theAverageFollowsAnEndpointThatSlowsDown() {
        latency.record("a", 100, 0);
        for (int i = 0; i < 10; i++) {
            latency.record("a", 1_000, 0);
        }
        assertThat(latency.millis("a")).isBetween(950.0, 1_000.0);
        assertThat(latency.millis("x")).isNaN();
    }

    private Permit inFlight(String endpoint) {
        return (Permit) flow.endpoints()
                .acquire(endpoint, EffectiveConfig.RateLimits.NONE, 0)
                .result();
    }

    private static Endpoint endpoint(Route route, String name) {
        return route.targets().stream()
                .map(Target::endpoint)
                .filter(e -> e.name().equals(name))
                .findFirst()
                .orElseThrow();
    }

    private void open(String endpoint) {
        for (int i = 0; i < EffectiveConfig.Breaker.DEFAULTS.consecutiveFailures(); i++) {
            ((BreakerPass) breakers.admit(endpoint)).failed("down");
        }
    }
}
