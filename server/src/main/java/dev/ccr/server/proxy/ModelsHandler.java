package dev.ccr.server.proxy;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ccr.server.config.ConfigHolder;
import dev.ccr.server.config.EffectiveConfig;
import dev.ccr.server.config.Endpoint;
import dev.ccr.server.config.RouteRef;
import dev.ccr.server.json.Json;
import dev.ccr.server.routing.ModelIds;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /v1/models} in the Anthropic list shape, which Claude Code's {@code /model} picker reads (with {@code
 * CLAUDE_CODE_ENABLE_GATEWAY_MODEL_DISCOVERY=1}; it shows only ids starting with {@code claude} or {@code anthropic}).
 *
 * <ul>
 *   <li>Every model an endpoint names (its {@code models}, then its {@code modelMap} targets), as the {@code
 *       claude-ccr/endpoint/model} id that routes to it (see {@link ModelIds}).
 *   <li>An Anthropic-format endpoint that names none: the upstream's own list ({@link UpstreamModelLists}), as the
 *       upstream's ids where the endpoint serves the default route (picking one routes there as any Claude id does),
 *       and as {@code claude-ccr/endpoint/id} otherwise.
 * </ul>
 *
 * An upstream that is slow or failing never fails the list: the answer comes within Claude Code's discovery timeout
 * with what is known, the missing endpoints named in {@value #HEADER_MISSING} and the router's log.
 */
public final class ModelsHandler implements Handler<RoutingContext> {
    private static final Logger log = LoggerFactory.getLogger(ModelsHandler.class);
    /** Names the endpoints whose models could not be listed, and why. */
    public static final String HEADER_MISSING = "x-ccr-models-missing";
    /** Anthropic's list carries a creation date; configured models have none, so a fixed one stands in. */
    private static final String CREATED_AT = "2025-01-01T00:00:00Z";

    private final ConfigHolder config;
    private final UpstreamModelLists upstreamLists;

    public ModelsHandler(ConfigHolder config, UpstreamModelLists upstreamLists) {
        this.config = config;
        this.upstreamLists = upstreamLists;
    }

    /** One model of the list. */
    private record Entry(String id, String displayName, String createdAt) {}

    /** What one endpoint contributes, or why it contributes nothing. */
    private record Section(List<Entry> entries, String missing) {}

    @Override
    public void handle(RoutingContext context) {
        EffectiveConfig snapshot = config.current();
        ClientIdentity identity = context.get(RouterHttp.IDENTITY);
        Set<String> servesDefault = new LinkedHashSet<>();
        snapshot.defaultRoute().targets().stream().map(RouteRef::endpoint).forEach(servesDefault::add);
        List<Future<Section>> sections = new ArrayList<>();
        for (Endpoint endpoint : snapshot.endpoints()) {
            Set<String> named = new LinkedHashSet<>(endpoint.models());
            named.addAll(endpoint.modelMap().values());
            if (!named.isEmpty() || !endpoint.passesThrough()) {
                List<Entry> entries = new ArrayList<>();
                for (String model : named) {
                    entries.add(new Entry(
                            ModelIds.listed(endpoint, model), model + " (" + endpoint.name() + ")", CREATED_AT));
                }
                sections.add(Future.succeededFuture(new Section(entries, null)));
                continue;
            }
            boolean plain = servesDefault.contains(endpoint.name());
            sections.add(upstreamLists
                    .list(endpoint, identity)
                    .map(models -> {
                        List<Entry> entries = new ArrayList<>(models.size());
                        for (UpstreamModelLists.Listed model : models) {
                            entries.add(
                                    plain
                                            ? new Entry(
                                                    model.id(),
                                                    model.displayName(),
                                                    model.createdAt() == null ? CREATED_AT : model.createdAt())
                                            : new Entry(
                                                    ModelIds.listed(endpoint, model.id()),
                                                    model.displayName() + " (" + endpoint.name() + ")",
                                                    model.createdAt() == null ? CREATED_AT : model.createdAt()));
                        }
                        return new Section(entries, null);
                    })
                    .otherwise(failure -> new Section(List.of(), endpoint.name() + ": " + failure.getMessage())));
        }
        Future.join(sections).onComplete(done -> answer(context, sections));
    }

    private static void answer(RoutingContext context, List<Future<Section>> sections) {
        Map<String, Entry> byId = new LinkedHashMap<>();
        List<String> missing = new ArrayList<>();
        for (Future<Section> future : sections) {
            Section section = future.result();
            section.entries().forEach(entry -> byId.putIfAbsent(entry.id(), entry));
            if (section.missing() != null) {
                missing.add(section.missing());
            }
        }
        ObjectNode root = Json.object();
        ArrayNode data = root.putArray("data");
        for (Entry entry : byId.values()) {
            data.addObject()
                    .put("type", "model")
                    .put("id", entry.id())
                    .put("display_name", entry.displayName())
                    .put("created_at", entry.createdAt());
        }
        root.put("has_more", false);
        root.put("first_id", data.isEmpty() ? null : data.get(0).get("id").asText());
        root.put(
                "last_id",
                data.isEmpty() ? null : data.get(data.size() - 1).get("id").asText());
        String requestId = context.get(RouterHttp.REQUEST_ID);
        var response = context.response()
                .putHeader("content-type", "application/json")
                .putHeader(Exchange.HEADER_REQUEST_ID, requestId);
        if (!missing.isEmpty()) {
            String why = String.join("; ", missing);
            log.warn("[{}] GET /v1/models lists what is known; missing: {}", requestId, why);
            response.putHeader(HEADER_MISSING, why.replaceAll("[\\r\\n]", " "));
        }
        response.end(Json.write(root));
    }
}
