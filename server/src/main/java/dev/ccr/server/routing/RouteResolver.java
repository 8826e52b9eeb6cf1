package dev.ccr.server.routing;

import dev.ccr.server.config.EffectiveConfig;
import dev.ccr.server.config.Endpoint;
import dev.ccr.server.config.RouteRef;
import dev.ccr.server.config.RouteSpec;
import dev.ccr.server.config.Rule;
import dev.ccr.server.config.Scenario;
import dev.ccr.server.error.ApiException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Decides which endpoints and upstream models may serve a request (docs/ROUTING.md), first match wins:
 *
 * <ol>
 *   <li>an explicit model id: {@code endpoint,model} (what {@code /model glm,glm-4.6} sends) or the id {@code
 *       /v1/models} lists, {@code claude-ccr/endpoint/model} (see {@link ModelIds}); else the {@code
 *       <CCR-SUBAGENT-MODEL>} tag of a subagent's system prompt;
 *   <li>the user's {@code rules}, in order;
 *   <li>the scenario {@code routes}, in {@link Scenario} order; Claude Code's request class ({@link RequestClass})
 *       decides compaction, subagent and background when the request carries one, the model name otherwise;
 *   <li>the default endpoint, with the model mapped through its {@code modelMap}.
 * </ol>
 */
public final class RouteResolver {
    public static final String ROUTE_EXPLICIT = "explicit";
    public static final String ROUTE_DEFAULT = "default";
    public static final String RULE_PREFIX = "rule:";
    public static final String ROUTE_SUBAGENT_TAG = "subagentTag";
    /** Claude Code's background and title requests use Haiku-class models. */
    private static final Glob HAIKU = Glob.compile("*haiku*");

    private final Map<String, Glob> globs = new ConcurrentHashMap<>();

    /**
     * @param headers the request's headers by (case-insensitive) name, for rules that match on them
     */
    public Route resolve(MessagesRequest request, Function<String, String> headers, EffectiveConfig config) {
        String model = request.model();
        ModelIds.Explicit explicit = ModelIds.parse(model);
        String chosenBy = ROUTE_EXPLICIT;
        if (explicit == null && request.subagentModel() != null) {
            explicit = ModelIds.parse(request.subagentModel());
            chosenBy = ROUTE_SUBAGENT_TAG;
            if (explicit == null) {
                throw ApiException.invalidRequest("ccr: <CCR-SUBAGENT-MODEL>" + request.subagentModel()
                        + "</CCR-SUBAGENT-MODEL> names no endpoint; write endpoint,model");
            }
        }
        if (explicit != null) {
            ModelIds.Explicit chosen = explicit;
            String named = chosenBy.equals(ROUTE_EXPLICIT) ? model : request.subagentModel();
            Endpoint endpoint = config.endpoint(chosen.endpoint())
                    .orElseThrow(() -> ApiException.notFound("ccr: no endpoint is named \"" + chosen.endpoint()
                            + "\" (model \"" + named + "\"); configured endpoints: " + names(config)));
            if (chosen.model().isEmpty()) {
                throw ApiException.invalidRequest(
                        "ccr: model \"" + named + "\" names no model after the endpoint; use endpoint,model");
            }
            Target target = new Target(endpoint, chosen.model(), chosenBy);
            return new Route(
                    chosenBy, RouteSpec.single(new RouteRef(endpoint.name(), chosen.model())), List.of(target));
        }
        for (Rule rule : config.rules()) {
            if (matches(rule, request, headers)) {
                return route(rule.target(), model, RULE_PREFIX + rule.name(), config);
            }
        }
        if (!config.routes().isEmpty()) {
            RequestClass kind = RequestClass.of(headers);
            boolean labelled = RequestClass.labelled(headers);
            for (Scenario scenario : Scenario.values()) {
                RouteSpec route = config.routes().get(scenario);
                if (route != null && applies(scenario, kind, labelled, request, config)) {
                    return route(route, model, scenario.configName(), config);
                }
            }
        }
        return route(config.defaultRoute(), model, ROUTE_DEFAULT, config);
    }

    private static boolean applies(
            Scenario scenario, RequestClass kind, boolean labelled, MessagesRequest request, EffectiveConfig config) {
        return switch (scenario) {
            case COMPACTION -> kind == RequestClass.COMPACTION;
            case LONG_CONTEXT -> request.estimatedInputTokens() > config.longContextThreshold();
            case IMAGE -> request.images();
            case WEB_SEARCH -> request.webSearch();
            case SUBAGENT -> kind == RequestClass.SUBAGENT;
            // A labelled request is background only when Claude Code says so: a main conversation on a Haiku model
            // (the user's /model choice) stays the main conversation. Unlabelled, the model name decides.
            case BACKGROUND -> labelled ? kind == RequestClass.AUXILIARY : HAIKU.matches(request.model());
            case THINK -> request.thinking();
        };
    }

    private boolean matches(Rule rule, MessagesRequest request, Function<String, String> headers) {
        if (rule.model() != null && !glob(rule.model()).matches(request.model())) {
            return false;
        }
        for (Map.Entry<String, String> header : rule.headers().entrySet()) {
            String value = headers.apply(header.getKey());
            if (value == null || !glob(header.getValue()).matches(value)) {
                return false;
            }
        }
        int tokens = request.estimatedInputTokens();
        if (rule.minTokens() != null && tokens < rule.minTokens()) {
            return false;
        }
        if (rule.maxTokens() != null && tokens > rule.maxTokens()) {
            return false;
        }
        if (rule.tools() != null && rule.tools() == request.toolNames().isEmpty()) {
            return false;
        }
        if (rule.tool() != null) {
            Glob tool = glob(rule.tool());
            if (request.toolNames().stream().noneMatch(tool::matches)) {
                return false;
            }
        }
        if (rule.thinking() != null && rule.thinking() != request.thinking()) {
            return false;
        }
        return rule.images() == null || rule.images() == request.images();
    }

    private Route route(RouteSpec spec, String requestedModel, String name, EffectiveConfig config) {
        List<RouteRef> refs = spec.targets();
        if (refs.size() == 1) {
            return new Route(name, spec, List.of(target(refs.get(0), requestedModel, name, config)));
        }
        Target[] targets = new Target[refs.size()];
        for (int i = 0; i < targets.length; i++) {
            targets[i] = target(refs.get(i), requestedModel, name, config);
        }
        return new Route(name, spec, List.of(targets));
    }

    private Target target(RouteRef ref, String requestedModel, String route, EffectiveConfig config) {
        Endpoint endpoint = config.endpoint(ref.endpoint())
                .orElseThrow(() -> new IllegalStateException("validated config names unknown endpoint " + ref));
        String model = ref.model() != null ? ref.model() : mapModel(endpoint, requestedModel);
        return new Target(endpoint, model, route);
    }

    /** The endpoint's model for a requested one: the first matching {@code modelMap} glob wins. */
    public String mapModel(Endpoint endpoint, String requested) {
        for (Map.Entry<String, String> entry : endpoint.modelMap().entrySet()) {
            if (glob(entry.getKey()).matches(requested)) {
                return entry.getValue();
            }
        }
        if (!endpoint.passesThrough() && !endpoint.models().isEmpty()) {
            // A non-Anthropic upstream does not know Claude model ids; its first listed model is the sane default.
            return endpoint.models().get(0);
        }
        return requested;
    }

    private Glob glob(String pattern) {
        return globs.computeIfAbsent(pattern, Glob::compile);
    }

    private static String names(EffectiveConfig config) {
        return config.endpoints().stream().map(Endpoint::name).collect(Collectors.joining(", "));
    }
}
