package dev.ccr.server.proxy;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ccr.server.config.ConfigHolder;
import dev.ccr.server.config.Endpoint;
import dev.ccr.server.json.Json;
import dev.ccr.server.routing.ModelIds;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * {@code GET /v1/models} in the Anthropic list shape: every model an endpoint names (its {@code models}, then its
 * {@code modelMap} targets), as the {@code claude-ccr/endpoint/model} id that routes to it. Claude Code's {@code /model}
 * picker (with {@code CLAUDE_CODE_ENABLE_GATEWAY_MODEL_DISCOVERY=1}) only shows ids starting with {@code claude}, which
 * is why the ids carry that prefix; see {@link ModelIds}.
 */
public final class ModelsHandler implements Handler<RoutingContext> {
    /** Anthropic's list carries a creation date; configured models have none, so a fixed one stands in. */
    private static final String CREATED_AT = "2025-01-01T00:00:00Z";

    private final ConfigHolder config;

    public ModelsHandler(ConfigHolder config) {
        this.config = config;
    }

    @Override
    public void handle(RoutingContext context) {
        ObjectNode root = Json.object();
        ArrayNode data = root.putArray("data");
        for (Endpoint endpoint : config.current().endpoints()) {
            Set<String> models = new LinkedHashSet<>(endpoint.models());
            models.addAll(endpoint.modelMap().values());
            for (String model : models) {
                ObjectNode entry = data.addObject();
                entry.put("type", "model");
                entry.put("id", ModelIds.listed(endpoint, model));
                entry.put("display_name", model + " (" + endpoint.name() + ")");
                entry.put("created_at", CREATED_AT);
            }
        }
        root.put("has_more", false);
        root.put("first_id", data.isEmpty() ? null : data.get(0).get("id").asText());
        root.put(
                "last_id",
                data.isEmpty() ? null : data.get(data.size() - 1).get("id").asText());
        context.response()
                .putHeader("content-type", "application/json")
                .putHeader(Exchange.HEADER_REQUEST_ID, (String) context.get(RouterHttp.REQUEST_ID))
                .end(Json.write(root));
    }
}
