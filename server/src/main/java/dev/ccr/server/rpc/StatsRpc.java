package dev.ccr.server.rpc;

import dev.ccr.protocol.stats.LatencyStats;
import dev.ccr.protocol.stats.RecentRequestsParams;
import dev.ccr.protocol.stats.RecentRequestsResult;
import dev.ccr.protocol.stats.RequestInfo;
import dev.ccr.protocol.stats.StatsService;
import dev.ccr.protocol.stats.StatsSummaryResult;
import dev.ccr.protocol.stats.UsageGroup;
import dev.ccr.protocol.stats.UsageStats;
import dev.ccr.server.observe.PricedRequest;
import dev.ccr.server.observe.RequestRecord;
import dev.ccr.server.observe.StatsQuery;
import dev.ccr.server.observe.usage.LatencySummary;
import dev.ccr.server.observe.usage.LiveSummary;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * {@code stats/*}: the running proxy's live usage ({@link StatsQuery}) as the protocol shows it. While no proxy runs
 * (a taken port, a bad config) there is nothing to count, and the answers are empty rather than errors.
 */
final class StatsRpc implements StatsService {
    static final int DEFAULT_RECENT = 100;

    private final Supplier<Optional<StatsQuery>> stats;
    private final long startedAt = System.currentTimeMillis();

    StatsRpc(Supplier<Optional<StatsQuery>> stats) {
        this.stats = stats;
    }

    @Override
    public CompletableFuture<StatsSummaryResult> summary() {
        Optional<LiveSummary> live = stats.get().map(StatsQuery::live);
        if (live.isEmpty()) {
            UsageStats none = new UsageStats(0, 0, 0, 0, 0, 0, 0, null, null, 0.0);
            return CompletableFuture.completedFuture(
                    new StatsSummaryResult(startedAt, none, List.of(), List.of(), List.of()));
        }
        LiveSummary summary = live.get();
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
        List<RequestInfo> recent = stats.get()
                .map(s -> s.recent(limit).stream().map(StatsRpc::request).toList())
                .orElse(List.of());
        return CompletableFuture.completedFuture(new RecentRequestsResult(recent));
    }

    static RequestInfo request(PricedRequest priced) {
        RequestRecord r = priced.record();
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
                priced.costUsd());
    }

    private static List<UsageGroup> groups(List<dev.ccr.server.observe.usage.UsageGroup> groups) {
        return groups.stream()
                .map(g -> new UsageGroup(g.name(), g.lastRequestAt(), usage(g)))
                .toList();
    }

    /** A cost is only a cost when every request in the group had a price; otherwise it is unknown (null). */
    private static UsageStats usage(dev.ccr.server.observe.usage.UsageGroup group) {
        var totals = group.usage();
        return new UsageStats(
                totals.requests(),
                totals.errors(),
                totals.inputTokens(),
                totals.outputTokens(),
                totals.cacheReadTokens(),
                totals.cacheCreationTokens(),
                totals.cacheHits(),
                latency(group.duration()),
                latency(group.timeToFirstByte()),
                totals.fullyPriced() ? totals.costUsd() : null);
    }

    private static LatencyStats latency(LatencySummary l) {
        return l == null ? null : new LatencyStats(l.p50(), l.p90(), l.p99(), l.max());
    }
}
