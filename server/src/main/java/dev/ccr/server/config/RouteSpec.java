package dev.ccr.server.config;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A validated route: the targets in the order written, and how to pick among them. A single target is a route of one.
 *
 * @param targets never empty; every one names a configured endpoint
 */
public record RouteSpec(List<RouteRef> targets, Strategy strategy) {
    public RouteSpec {
        targets = List.copyOf(targets);
    }

    public static RouteSpec single(RouteRef target) {
        return new RouteSpec(List.of(target), Strategy.FAILOVER);
    }

    /** The first target's endpoint: the one shown as the route's endpoint when only one name fits. */
    public String firstEndpoint() {
        return targets.get(0).endpoint();
    }

    @Override
    public String toString() {
        String list = targets.stream().map(RouteRef::toString).collect(Collectors.joining(", "));
        return targets.size() == 1 ? list : strategy.configName() + " [" + list + "]";
    }
}
