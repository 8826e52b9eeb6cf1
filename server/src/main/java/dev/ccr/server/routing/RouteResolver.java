package dev.ccr.server.routing;

import dev.ccr.server.config.EffectiveConfig;
import dev.ccr.server.config.Endpoint;
import dev.ccr.server.error.ApiException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Decides which endpoint and upstream model serve a request. An explicit {@code endpoint,model} (what {@code /model
 * glm,glm-4.6} sends from inside Claude Code) always wins; otherwise the default endpoint serves it, with the model
 * mapped through that endpoint's {@code modelMap}.
 */
public final class RouteResolver {
    public static final String ROUTE_EXPLICIT = "explicit";
    public static final String ROUTE_DEFAULT = "default";

    private final Map<String, Glob> globs = new ConcurrentHashMap<>();

    public Target resolve(MessagesRequest request, EffectiveConfig config) {
        String model = request.model();
        int comma = model.indexOf(',');
        if (comma >= 0) {
            String endpointName = model.substring(0, comma).strip();
            String upstreamModel = model.substring(comma + 1).strip();
            Endpoint endpoint = config.endpoint(endpointName)
                    .orElseThrow(() -> ApiException.notFound("ccr: no endpoint is named \"" + endpointName
                            + "\" (model \"" + model + "\"); configured endpoints: " + names(config)));
            if (upstreamModel.isEmpty()) {
                throw ApiException.invalidRequest(
                        "ccr: model \"" + model + "\" names no model after the comma; use endpoint,model");
            }
            return new Target(endpoint, upstreamModel, ROUTE_EXPLICIT);
        }
        Endpoint endpoint = config.endpoint(config.defaultEndpoint())
                .orElseThrow(() -> new IllegalStateException("validated config has no default endpoint"));
        return new Target(endpoint, mapModel(endpoint, model), ROUTE_DEFAULT);
    }

    /** The endpoint's model for a requested one: the first matching {@code modelMap} glob wins. */
    public String mapModel(Endpoint endpoint, String requested) {
        for (Map.Entry<String, String> entry : endpoint.modelMap().entrySet()) {
            if (globs.computeIfAbsent(entry.getKey(), Glob::compile).matches(requested)) {
                return entry.getValue();
            }
        }
        if (!endpoint.passesThrough() && !endpoint.models().isEmpty()) {
            // A non-Anthropic upstream does not know Claude model ids; its first listed model is the sane default.
            return endpoint.models().get(0);
        }
        return requested;
    }

    private static String names(EffectiveConfig config) {
        return config.endpoints().stream().map(Endpoint::name).collect(Collectors.joining(", "));
    }
}
