package dev.ccr.server.config;

import static dev.ccr.server.config.ConfigProblems.orDefault;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Checks and resolves {@code routes}, {@code defaultEndpoint} and {@code longContextThreshold}. Every target must
 * name a configured endpoint, checked here rather than per request, so a typo stops the config instead of failing a
 * user's request later.
 */
final class RoutesSection {
    private final ConfigProblems problems;

    RoutesSection(ConfigProblems problems) {
        this.problems = problems;
    }

    Map<Scenario, RouteSpec> routes(RoutesConfig raw, List<Endpoint> endpoints, ConfigPath at) {
        if (raw == null) {
            return Map.of();
        }
        Map<Scenario, RouteConfig> written = new EnumMap<>(Scenario.class);
        written.put(Scenario.BACKGROUND, raw.background());
        written.put(Scenario.THINK, raw.think());
        written.put(Scenario.LONG_CONTEXT, raw.longContext());
        written.put(Scenario.WEB_SEARCH, raw.webSearch());
        written.put(Scenario.IMAGE, raw.image());
        written.put(Scenario.SUBAGENT, raw.subagent());
        written.put(Scenario.COMPACTION, raw.compaction());
        Map<Scenario, RouteSpec> routes = new EnumMap<>(Scenario.class);
        written.forEach((scenario, route) -> {
            RouteSpec spec = route(route, endpoints, at.key(scenario.configName()));
            if (spec != null) {
                routes.put(scenario, spec);
            }
        });
        return Collections.unmodifiableMap(routes);
    }

    /** A route whose every target names a configured endpoint, or {@code null} after recording why not. */
    RouteSpec route(RouteConfig raw, List<Endpoint> endpoints, ConfigPath at) {
        if (raw == null) {
            return null;
        }
        if (raw.targets() == null || raw.targets().isEmpty()) {
            problems.error(
                    raw.form() == RouteConfig.Form.OBJECT ? at.key("targets") : at,
                    "a route needs at least one target: " + RouteConfig.SHAPES);
            return null;
        }
        int before = problems.errorCount();
        List<RouteRef> targets = new ArrayList<>();
        for (int i = 0; i < raw.targets().size(); i++) {
            ConfigPath here = raw.targetPath(at, i);
            RouteRef ref = routeRef(raw.targets().get(i), endpoints, here);
            if (ref != null) {
                if (targets.contains(ref)) {
                    problems.error(here, "\"" + ref + "\" is listed twice in this route");
                }
                targets.add(ref);
            }
        }
        Strategy strategy = raw.strategy() == null ? Strategy.FAILOVER : raw.strategy();
        if (raw.strategy() != null && targets.size() == 1 && problems.errorCount() == before) {
            problems.warn(at.key("strategy"), "a strategy has no effect on a route with one target");
        }
        return problems.errorCount() > before ? null : new RouteSpec(targets, strategy);
    }

    /** A route target that names a configured endpoint, or {@code null} after recording why not. */
    private RouteRef routeRef(String text, List<Endpoint> endpoints, ConfigPath at) {
        if (text == null) {
            problems.error(at, "expected \"endpoint,model\" or \"endpoint\", got null");
            return null;
        }
        RouteRef ref = RouteRef.parse(text);
        if (ref == null || ref.endpoint().isEmpty()) {
            problems.error(at, "expected \"endpoint,model\" or \"endpoint\", got \"" + text + "\"");
            return null;
        }
        boolean known = endpoints.stream().anyMatch(e -> e.name().equals(ref.endpoint()));
        if (!known) {
            problems.noEndpointNamed(at, ref.endpoint());
            return null;
        }
        return ref;
    }

    String defaultEndpoint(RouterConfig raw, List<Endpoint> endpoints, RouteSpec routed, ConfigPath root) {
        if (raw.defaultEndpoint() == null) {
            return routed != null
                    ? routed.firstEndpoint()
                    : endpoints.isEmpty() ? null : endpoints.get(0).name();
        }
        if (routed != null
                && routed.targets().stream().noneMatch(t -> t.endpoint().equals(raw.defaultEndpoint()))) {
            problems.error(
                    root.key("defaultEndpoint"),
                    "defaultEndpoint \"" + raw.defaultEndpoint() + "\" is not a target of routes.default, which"
                            + " decides the default route; remove defaultEndpoint or add it to routes.default");
        }
        boolean known = endpoints.stream().anyMatch(e -> e.name().equals(raw.defaultEndpoint()));
        if (!known && raw.endpoints() != null && !raw.endpoints().isEmpty()) {
            problems.noEndpointNamed(root.key("defaultEndpoint"), raw.defaultEndpoint());
        }
        return raw.defaultEndpoint();
    }

    /** The prompt size, in tokens, above which {@code routes.longContext} applies. */
    int longContextThreshold(Integer raw, ConfigPath at) {
        int threshold = orDefault(raw, EffectiveConfig.DEFAULT_LONG_CONTEXT_THRESHOLD);
        if (threshold < 1) {
            problems.error(at, "longContextThreshold is a token count and must be at least 1, got " + threshold);
        }
        return threshold;
    }
}
