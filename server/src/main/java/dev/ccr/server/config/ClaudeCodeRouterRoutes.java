package dev.ccr.server.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * claude-code-router's {@code Router} (and {@code fallback}) as ccr's {@code routes}: each slot is {@code
 * "provider,model"}, the ccr route of the same name; {@code fallback.<slot>} lists the targets tried after it.
 */
final class ClaudeCodeRouterRoutes {
    private static final Set<String> EFFORTS = Set.of("none", "minimal", "low", "medium", "high", "xhigh", "max");

    /** Router slots, each the ccr route of the same name, in the order the migration summary lists them. */
    private static final List<String> SLOTS =
            List.of("default", "background", "think", "longContext", "webSearch", "image");

    private final Function<String, String> environment;
    private final List<ConfigProblems.Problem> problems;
    private final List<ConfigProblems.Problem> warnings;
    private final List<ConfigMigration.Change> changes;
    private final NotHonoured notHonoured;
    private final WrittenPaths paths;

    ClaudeCodeRouterRoutes(
            Function<String, String> environment,
            List<ConfigProblems.Problem> problems,
            List<ConfigProblems.Problem> warnings,
            List<ConfigMigration.Change> changes,
            NotHonoured notHonoured,
            WrittenPaths paths) {
        this.environment = environment;
        this.problems = problems;
        this.warnings = warnings;
        this.changes = changes;
        this.notHonoured = notHonoured;
        this.paths = paths;
    }

    /** The routes of a {@code Router} object; {@code fallback} may be null. */
    RoutesConfig read(JsonNode router, JsonNode fallback) {
        ConfigPath at = ConfigPath.ROOT.key("Router");
        ConfigPath fallbackAt = ConfigPath.ROOT.key("fallback");
        if (fallback != null && !fallback.isNull() && !fallback.isObject()) {
            problems.add(new ConfigProblems.Problem(fallbackAt, "fallback must be an object of lists"));
            fallback = null;
        }
        Map<String, RouteConfig> routes = new LinkedHashMap<>();
        for (String name : SLOTS) {
            String target = routeTarget(router.get(name), at.key(name));
            List<String> fallbacks = fallbacks(fallback == null ? null : fallback.get(name), fallbackAt.key(name));
            if (target == null) {
                if (!fallbacks.isEmpty()) {
                    warnings.add(new ConfigProblems.Problem(
                            fallbackAt.key(name),
                            "fallback." + name + " is ignored: Router." + name + " is not set, so nothing falls back"));
                }
                continue;
            }
            ConfigPath route = ConfigPath.ROOT.key("routes").key(name);
            paths.map(route, at.key(name));
            RouteConfig config;
            if (fallbacks.isEmpty()) {
                config = RouteConfig.of(target);
            } else {
                List<String> targets = new ArrayList<>();
                targets.add(target);
                targets.addAll(fallbacks);
                config = new RouteConfig(targets, null, RouteConfig.Form.LIST);
                paths.map(route.index(0), at.key(name));
                for (int i = 0; i < fallbacks.size(); i++) {
                    paths.map(route.index(i + 1), fallbackAt.key(name).index(i));
                }
            }
            routes.put(name, config);
            changes.add(new ConfigMigration.Change(
                    "Router." + name + (fallbacks.isEmpty() ? "" : " and fallback." + name),
                    "routes." + name + ": " + String.join(", then ", config.targets())));
        }
        Set<String> known = new LinkedHashSet<>(SLOTS);
        known.add("longContextThreshold");
        for (String key : iterable(router.fieldNames())) {
            if (!known.contains(key)) {
                notHonoured.add("Router." + key, "ccr has no such scenario; it is ignored", at.key(key), null);
            }
        }
        if (fallback != null) {
            for (String key : iterable(fallback.fieldNames())) {
                if (!SLOTS.contains(key)) {
                    notHonoured.add(
                            "fallback." + key, "ccr has no such scenario; it is ignored", fallbackAt.key(key), null);
                }
            }
        }
        return new RoutesConfig(
                routes.get("background"),
                routes.get("think"),
                routes.get("longContext"),
                routes.get("webSearch"),
                routes.get("image"),
                null,
                null,
                routes.get("default"));
    }

    /**
     * A Router slot's {@code "provider,model"}, or {@code null} when unset (claude-code-router's UI writes empty
     * strings for unset slots). A third part, the reasoning effort, is reported and left out: ccr has no per-route
     * effort, so the request's own thinking settings decide.
     */
    private String routeTarget(JsonNode value, ConfigPath at) {
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            problems.add(new ConfigProblems.Problem(at, "expected \"provider,model\""));
            return null;
        }
        String text = EnvReferences.interpolate(value.asText(), environment).strip();
        if (text.isEmpty()) {
            return null;
        }
        String[] parts = text.split(",", -1);
        if (parts.length <= 2) {
            return text;
        }
        String effort = parts[2].strip().toLowerCase(Locale.ROOT);
        if (parts.length > 3 || !EFFORTS.contains(effort)) {
            problems.add(new ConfigProblems.Problem(
                    at,
                    "expected \"provider,model\" or \"provider,model,effort\" with effort one of "
                            + String.join(", ", EFFORTS.stream().sorted().toList()) + ", got \"" + text + "\""));
            return null;
        }
        notHonoured.add(
                "the reasoning effort in \"provider,model,effort\"",
                "ccr has no per-route effort; how hard the model thinks follows the request's own thinking"
                        + " settings (Claude Code's effort)",
                at,
                text);
        return parts[0] + "," + parts[1];
    }

    private List<String> fallbacks(JsonNode list, ConfigPath at) {
        List<String> targets = new ArrayList<>();
        if (list == null || list.isNull()) {
            return targets;
        }
        if (!list.isArray()) {
            problems.add(new ConfigProblems.Problem(at, "expected a list of \"provider,model\""));
            return targets;
        }
        for (int i = 0; i < list.size(); i++) {
            String target = routeTarget(list.get(i), at.index(i));
            if (target != null) {
                targets.add(target);
            }
        }
        return targets;
    }

    private static Iterable<String> iterable(java.util.Iterator<String> names) {
        return () -> names;
    }
}
