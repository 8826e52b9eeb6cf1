package dev.ccr.server.rpc;

import dev.ccr.protocol.stats.LatencyStats;
import dev.ccr.protocol.stats.RecentRequestsParams;
import dev.ccr.protocol.stats.RecentRequestsResult;
import dev.ccr.protocol.stats.RequestInfo;
import dev.ccr.protocol.stats.StatsService;
import dev.ccr.protocol.stats.StatsSummaryResult;
import dev.ccr.protocol.stats.UsageGroup;
import dev.ccr.protocol.stats.UsageStats;
import dev.ccr.server.observe.RequestRecord;
import dev.ccr.server.observe.UsageTracker;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** {@code stats/*}: the in-memory usage, as the protocol shows it. Costs stay null until pricing exists. */
final class StatsRpc implements StatsService {
    static final int DEFAULT_RECENT = 100;

    private final UsageTracker usage;

    StatsRpc(UsageTracker usage) {
        this.usage = usage;
    }

    @Override
    public CompletableFuture<StatsSummaryResult> summary() {
        UsageTracker.Summary summary = usage.summary();
        return CompletableFuture.completedFuture(new StatsSummaryResult(
                summary.since(),
                usage(summary.total()),
                groups(summary.byEndpoint()),
                groups(summary.byModel()),
                groups(summary.bySession())));
    }

    @Override
    public CompletableFuture<RecentRequestsResult> recentRequests(RecentRequestsParams params) {
        int limit = params == null || params.limit() == null ? DEFAULT_RECENT : params.limit();
        if (limit < 0) {
            return CompletableFuture.failedFuture(RpcErrors.invalidParams("limit must not be negative"));
        }
        return CompletableFuture.completedFuture(new RecentRequestsResult(
                usage.recent(limit).stream().map(StatsRpc::request).toList()));
    }

    static RequestInfo request(RequestRecord r) {
        return new RequestInfo(
                r.requestId(),
                r.startedAt(),
                r.sessionId(),
                r.client(),
                r.operation(),
                r.requestedModel(),
                r.route(),
                r.endpoint(),
                r.upstreamModel(),
                r.status(),
                r.errorType(),
                r.stream(),
                r.timeToFirstByteMillis(),
                r.durationMillis(),
                r.inputTokens(),
                r.outputTokens(),
                r.cacheReadTokens(),
                r.cacheCreationTokens(),
                r.attempts(),
                r.cacheHit(),
                null);
    }

    private static List<UsageGroup> groups(List<UsageTracker.Group> groups) {
        return groups.stream()
                .map(g -> new UsageGroup(g.name(), g.lastRequestAt(), usage(g.usage())))
                .toList();
    }

    private static UsageStats usage(UsageTracker.Usage u) {
        return new UsageStats(
                u.requests(),
                u.errors(),
                u.inputTokens(),
                u.outputTokens(),
                u.cacheReadTokens(),
                u.cacheCreationTokens(),
                u.cacheHits(),
                latency(u.duration()),
                latency(u.timeToFirstByte()),
                null);
    }

    private static LatencyStats latency(UsageTracker.Latency l) {
        return l == null ? null : new LatencyStats(l.p50(), l.p90(), l.p99(), l.max());
    }
}
