package dev.ccr.server.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Checks and resolves {@code rules}, tried in order before the scenario routes. A rule without a condition is only a
 * warning: it works, but every rule after it is dead, which is rarely what the user meant.
 */
final class RulesSection {
    private final ConfigProblems problems;
    private final RoutesSection routes;

    RulesSection(ConfigProblems problems, RoutesSection routes) {
        this.problems = problems;
        this.routes = routes;
    }

    List<Rule> rules(List<RuleConfig> raw, List<Endpoint> endpoints, ConfigPath at) {
        if (raw == null) {
            return List.of();
        }
        List<Rule> rules = new ArrayList<>();
        for (int i = 0; i < raw.size(); i++) {
            RuleConfig rule = raw.get(i);
            ConfigPath here = at.index(i);
            if (rule == null) {
                problems.error(here, "a rule must be an object, not null");
                continue;
            }
            if (rule.target() == null) {
                problems.error(
                        here,
                        "target is required: where matching requests go, as \"endpoint,model\" or" + " \"endpoint\"");
                continue;
            }
            RouteSpec target = routes.route(rule.target(), endpoints, here.key("target"));
            checkGlob(rule.model(), here.key("model"));
            checkGlob(rule.tool(), here.key("tool"));
            Map<String, String> headers = new LinkedHashMap<>();
            if (rule.headers() != null) {
                rule.headers().forEach((name, glob) -> {
                    if (!EndpointsSection.HEADER_NAME.matcher(name).matches()) {
                        problems.error(here.key("headers").key(name), "\"" + name + "\" is not a valid header name");
                    } else if (glob == null || glob.isEmpty()) {
                        problems.error(
                                here.key("headers").key(name),
                                "a header condition needs a value glob; use \"*\" for \"present\"");
                    } else {
                        headers.put(name.toLowerCase(Locale.ROOT), glob);
                    }
                });
            }
            if (rule.minTokens() != null && rule.minTokens() < 0) {
                problems.error(here.key("minTokens"), "minTokens must not be negative");
            }
            if (rule.maxTokens() != null && rule.maxTokens() < 0) {
                problems.error(here.key("maxTokens"), "maxTokens must not be negative");
            }
            if (rule.minTokens() != null && rule.maxTokens() != null && rule.minTokens() > rule.maxTokens()) {
                problems.error(
                        here.key("maxTokens"),
                        "maxTokens (" + rule.maxTokens() + ") is below minTokens (" + rule.minTokens()
                                + "); no request could match");
            }
            boolean conditional = rule.model() != null
                    || !headers.isEmpty()
                    || rule.minTokens() != null
                    || rule.maxTokens() != null
                    || rule.tools() != null
                    || rule.tool() != null
                    || rule.thinking() != null
                    || rule.images() != null;
            if (!conditional) {
                problems.warn(
                        here, "this rule has no condition, so it matches every request and later rules never apply");
            }
            if (target != null) {
                String name = rule.name() == null || rule.name().isBlank() ? "rule[" + i + "]" : rule.name();
                rules.add(new Rule(
                        name,
                        rule.model(),
                        Map.copyOf(headers),
                        rule.minTokens(),
                        rule.maxTokens(),
                        rule.tools(),
                        rule.tool(),
                        rule.thinking(),
                        rule.images(),
                        target));
            }
        }
        return List.copyOf(rules);
    }

    private void checkGlob(String glob, ConfigPath at) {
        if (glob != null && glob.isBlank()) {
            problems.error(at, "a glob must not be empty; remove the condition to match anything");
        }
    }
}
