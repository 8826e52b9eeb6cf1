package dev.ccr.server.observe.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ccr.server.json.Json;
import dev.ccr.server.observe.PricedRequest;
import dev.ccr.server.observe.RequestRecord;
import dev.ccr.server.observe.usage.LiveSummary;
import dev.ccr.server.observe.usage.UsageGroup;
import dev.ccr.server.observe.usage.UsageReport;
import java.util.List;

/** The JSON shapes of the stats API and {@code ccr stats --json}; one place, so both say the same. */
public final class StatsJson {
    private StatsJson() {}

    public static ObjectNode live(LiveSummary summary) {
        ObjectNode root = Json.object();
        root.put("since", summary.since());
        root.set("total", Json.MAPPER.valueToTree(summary.total().usage()));
        root.set("duration", Json.MAPPER.valueToTree(summary.total().duration()));
        root.set("timeToFirstByte", Json.MAPPER.valueToTree(summary.total().timeToFirstByte()));
        root.set("byEndpoint", groups(summary.byEndpoint()));
        root.set("byModel", groups(summary.byModel()));
        root.set("bySession", groups(summary.bySession()));
        return root;
    }

    public static ObjectNode report(UsageReport report) {
        ObjectNode root = Json.object();
        root.put("from", report.from().toString());
        root.put("to", report.to().toString());
        root.put("sessionId", report.sessionId());
        root.put("by", report.by().label());
        root.set("total", Json.MAPPER.valueToTree(report.total()));
        root.set("groups", groups(report.groups()));
        return root;
    }

    private static ArrayNode groups(List<UsageGroup> groups) {
        ArrayNode out = Json.MAPPER.createArrayNode();
        groups.forEach(g -> out.add(Json.MAPPER.<ObjectNode>valueToTree(g)));
        return out;
    }

    public static ArrayNode requests(List<PricedRequest> requests) {
        ArrayNode out = Json.MAPPER.createArrayNode();
        for (PricedRequest priced : requests) {
            RequestRecord r = priced.record();
            ObjectNode row = out.addObject();
            row.put("requestId", r.requestId());
            row.put("startedAt", r.startedAt());
            row.put("sessionId", r.sessionId());
            row.put("client", r.client());
            row.put("operation", r.operation());
            row.put("requestedModel", r.requestedModel());
            row.put("route", r.route());
            row.put("endpoint", r.endpoint());
            row.put("upstreamModel", r.upstreamModel());
            row.put("status", r.status());
            row.put("errorType", r.errorType());
            row.put("stream", r.stream());
            row.put("timeToFirstByteMillis", r.timeToFirstByteMillis());
            row.put("durationMillis", r.durationMillis());
            row.put("upstreamMillis", r.upstreamMillis());
            row.put("overheadMicros", r.overheadMicros());
            row.put("inputTokens", r.inputTokens());
            row.put("outputTokens", r.outputTokens());
            row.put("cacheReadTokens", r.cacheReadTokens());
            row.put("cacheCreationTokens", r.cacheCreationTokens());
            row.put("attempts", r.attempts());
            row.put("cacheHit", r.cacheHit());
            row.put("costUsd", priced.costUsd());
            row.put("costEstimated", priced.costEstimated());
        }
        return out;
    }
}
