package dev.ccr.server.observe.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ccr.server.error.ApiException;
import dev.ccr.server.json.Json;
import dev.ccr.server.observe.StatsQuery;
import dev.ccr.server.observe.metrics.RouterMetrics;
import dev.ccr.server.observe.usage.Grouping;
import io.vertx.ext.web.RoutingContext;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;

/**
 * The operator's HTTP endpoints, mounted by the router behind the same token check as the API:
 *
 * <ul>
 *   <li>{@code GET /metrics}: Prometheus text format
 *   <li>{@code GET /ccr/stats}: usage since start, per endpoint, model and session, with latency percentiles
 *   <li>{@code GET /ccr/stats/recent?limit=N}: the latest requests, newest first (default 100, at most 500)
 *   <li>{@code GET /ccr/stats/usage?days=N|from=YYYY-MM-DD&to=YYYY-MM-DD&by=model|endpoint|session|client|day
 *       &session=ID}: history from the usage database (default: today, by model)
 * </ul>
 *
 * Work that blocks (the database, a scrape that reads JVM beans) runs on a worker thread.
 */
public final class StatsApi {
    private static final String JSON = "application/json";

    private final StatsQuery stats;
    private final RouterMetrics metrics;

    public StatsApi(StatsQuery stats, RouterMetrics metrics) {
        this.stats = stats;
        this.metrics = metrics;
    }

    public void metrics(RoutingContext ctx) {
        ctx.vertx()
                .executeBlocking(metrics::scrape, false)
                .onSuccess(text -> ctx.response()
                        .putHeader("content-type", "text/plain; version=0.0.4; charset=utf-8")
                        .putHeader("cache-control", "no-store")
                        .end(text))
                .onFailure(ctx::fail);
    }

    public void live(RoutingContext ctx) {
        send(ctx, StatsJson.live(stats.live()));
    }

    public void recent(RoutingContext ctx) {
        int limit = intParam(ctx, "limit", 100, 1, 500);
        ObjectNode root = Json.object();
        root.set("requests", StatsJson.requests(stats.recent(limit)));
        send(ctx, root);
    }

    public void usage(RoutingContext ctx) {
        LocalDate today = LocalDate.now();
        int days = intParam(ctx, "days", 1, 1, 3650);
        LocalDate from = dateParam(ctx, "from", today.minusDays(days - 1L));
        LocalDate to = dateParam(ctx, "to", today);
        Grouping by = grouping(ctx.request().getParam("by", "model"));
        String session = ctx.request().getParam("session");
        ctx.vertx()
                .executeBlocking(() -> stats.usage(from, to, by, session), false)
                .onSuccess(report -> {
                    ObjectNode root = report.map(StatsJson::report).orElseGet(() -> {
                        ObjectNode empty = Json.object();
                        empty.put("from", from.toString());
                        empty.put("to", to.toString());
                        empty.putNull("total");
                        empty.putArray("groups");
                        return empty;
                    });
                    send(ctx, root);
                })
                .onFailure(ctx::fail);
    }

    private static void send(RoutingContext ctx, ObjectNode body) {
        ctx.response()
                .putHeader("content-type", JSON)
                .putHeader("cache-control", "no-store")
                .end(Json.write(body));
    }

    private static int intParam(RoutingContext ctx, String name, int fallback, int min, int max) {
        String raw = ctx.request().getParam(name);
        if (raw == null) {
            return fallback;
        }
        try {
            int value = Integer.parseInt(raw.strip());
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw ApiException.invalidRequest(
                "ccr: " + name + " must be a whole number from " + min + " to " + max + ", got " + raw);
    }

    private static LocalDate dateParam(RoutingContext ctx, String name, LocalDate fallback) {
        String raw = ctx.request().getParam(name);
        if (raw == null) {
            return fallback;
        }
        try {
            return LocalDate.parse(raw.strip());
        } catch (DateTimeParseException e) {
            throw ApiException.invalidRequest("ccr: " + name + " must be a date like 2026-01-31, got " + raw);
        }
    }

    private static Grouping grouping(String raw) {
        try {
            return Grouping.parse(raw);
        } catch (IllegalArgumentException e) {
            throw ApiException.invalidRequest(
                    "ccr: by must be one of model, endpoint, session, client, day; got " + raw);
        }
    }
}
