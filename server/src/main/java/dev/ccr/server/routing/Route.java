package dev.ccr.server.routing;

import dev.ccr.server.config.RouteSpec;
import dev.ccr.server.config.Strategy;
import java.util.List;

/**
 * Where one request may go: the targets of the route it matched, models already mapped, in the order written. The
 * strategy decides which to try first; the others are fallbacks.
 *
 * @param name why this route applies ({@code explicit}, {@code default}, {@code rule:x}, a scenario), shown in
 *     headers and logs
 * @param spec the configured route, which identifies it across requests (for round-robin turns); a single-target
 *     spec for explicit ids
 * @param targets never empty
 */
public record Route(String name, RouteSpec spec, List<Target> targets) {
    public Strategy strategy() {
        return spec.strategy();
    }

    /** The first target as written. */
    public Target first() {
        return targets.get(0);
    }
}
