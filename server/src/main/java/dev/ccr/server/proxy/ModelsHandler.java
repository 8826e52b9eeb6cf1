package dev.ccr.server.proxy;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ccr.server.config.ConfigHolder;
import dev.ccr.server.config.Endpoint;
import dev.ccr.server.json.Json;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code GET /v1/models} in the Anthropic list shape: every model an endpoint lists, as the {@code endpoint,model} id
 * that routes to it.
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
            for (String model : endpoint.models()) {
                ObjectNode entry = data.addObject();
                entry.put("type", "model");
                entry.put("id", endpoint.name() + "," + model);
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
