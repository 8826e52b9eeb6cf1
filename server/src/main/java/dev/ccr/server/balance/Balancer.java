package dev.ccr.server.balance;

import dev.ccr.server.config.RouteSpec;
import dev.ccr.server.limits.FlowControl;
import dev.ccr.server.resilience.CircuitBreakers;
import dev.ccr.server.routing.Route;
import dev.ccr.server.routing.Target;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Orders a route's targets for one request (docs/ROUTING.md): the strategy picks the first among the available ones
 * (circuit not open, not busy, room under {@code maxConcurrent}); the other available targets follow in the order
 * written, and the unavailable ones last, the one expected to recover first ahead, in case the others fail.
 *
 * <p>Turn counters live per configured route and survive reloads that keep the route as it was. Everything here is
 * lock-free; a single-target route costs nothing.
 */
public final class Balancer {
    /** Lowest-latency sends every this-many-th request to the endpoint measured longest ago, so averages stay fresh. */
    static final int EXPLORE_EVERY = 20;

    private final CircuitBreakers breakers;
    private final FlowControl flow;
    private final LatencyTracker latency;
    private final Map<RouteSpec, AtomicLong> turns = new ConcurrentHashMap<>();

    public Balancer(CircuitBreakers breakers, FlowControl flow, LatencyTracker latency) {
        this.breakers = breakers;
        this.flow = flow;
        this.latency = latency;
    }

    /**
     * @param client who asks (a router token's name, or {@code local}): an endpoint busy for that client's own key
     *     only is unavailable to that client only
     */
    public List<Target> order(Route route, String client) {
        List<Target> targets = route.targets();
        if (targets.size() == 1) {
            return targets;
        }
        List<Target> available = new ArrayList<>(targets.size());
        List<Target> unavailable = new ArrayList<>(0);
        for (Target target : targets) {
            String name = target.endpoint().name();
            boolean free = breakers.available(name) && busyUntil(name, client) == 0 && flow.hasRoom(target.endpoint());
            (free ? available : unavailable).add(target);
        }
        if (unavailable.size() > 1) {
            unavailable.sort(
                    Comparator.comparingLong(target -> readyAt(target.endpoint().name(), client)));
        }
        if (available.isEmpty()) {
            return unavailable;
        }
        int first = pick(route, available);
        List<Target> ordered = new ArrayList<>(targets.size());
        ordered.add(available.get(first));
        for (int i = 0; i < available.size(); i++) {
            if (i != first) {
                ordered.add(available.get(i));
            }
        }
        ordered.addAll(unavailable);
        return ordered;
    }

    private long busyUntil(String endpoint, String client) {
        return Math.max(breakers.busyUntil(endpoint), breakers.busyUntil(CircuitBreakers.busyKey(endpoint, client)));
    }

    private long readyAt(String endpoint, String client) {
        return Math.max(breakers.readyAt(endpoint), busyUntil(endpoint, client));
    }

    /** The index, in {@code available}, of the target to try first. */
    private int pick(Route route, List<Target> available) {
        if (available.size() == 1) {
            return 0;
        }
        return switch (route.strategy()) {
            case FAILOVER -> 0;
            case ROUND_ROBIN -> (int) Math.floorMod(turn(route), (long) available.size());
            case WEIGHTED -> weighted(turn(route), available);
            case LEAST_BUSY -> leastBusy(available);
            case LOWEST_LATENCY -> lowestLatency(turn(route), available);
        };
    }

    private long turn(Route route) {
        return turns.computeIfAbsent(route.spec(), spec -> new AtomicLong()).getAndIncrement();
    }

    /** Turn {@code n} of a cycle as long as the weights' sum: each target owns as many turns as its weight. */
    private static int weighted(long turn, List<Target> available) {
        long total = 0;
        for (Target target : available) {
            total += target.endpoint().weight();
        }
        long position = Math.floorMod(turn, total);
        for (int i = 0; i < available.size(); i++) {
            position -= available.get(i).endpoint().weight();
            if (position < 0) {
                return i;
            }
        }
        return 0;
    }

    /** Fewest requests in flight per unit of weight; ties go to the target written first. */
    private int leastBusy(List<Target> available) {
        int best = 0;
        double bestLoad = Double.MAX_VALUE;
        for (int i = 0; i < available.size(); i++) {
            Target target = available.get(i);
            double load = (double) flow.inFlight(target.endpoint().name())
                    / target.endpoint().weight();
            if (load < bestLoad) {
                best = i;
                bestLoad = load;
            }
        }
        return best;
    }

    /**
     * The fastest average time to first byte. An endpoint never measured goes first (it may be the fastest), and every
     * {@value #EXPLORE_EVERY}th request goes to the one measured longest ago, so a slow spell is not held against an
     * endpoint forever.
     */
    private int lowestLatency(long turn, List<Target> available) {
        int best = 0;
        double bestMillis = Double.MAX_VALUE;
        int stalest = 0;
        long stalestAt = Long.MAX_VALUE;
        for (int i = 0; i < available.size(); i++) {
            String name = available.get(i).endpoint().name();
            double millis = latency.millis(name);
            if (Double.isNaN(millis)) {
                return i;
            }
            if (millis < bestMillis) {
                best = i;
                bestMillis = millis;
            }
            long at = latency.lastSample(name);
            if (at < stalestAt) {
                stalest = i;
                stalestAt = at;
            }
        }
        return turn % EXPLORE_EVERY == EXPLORE_EVERY - 1 ? stalest : best;
    }
}
