package dev.ccr.protocol.stats;

import java.util.concurrent.CompletableFuture;
import org.eclipse.lsp4j.jsonrpc.services.JsonRequest;
import org.eclipse.lsp4j.jsonrpc.services.JsonSegment;

/**
 * {@code stats/*}: usage of this router since it started, for the editor's dashboard. Finished requests are also
 * pushed as {@code stats/requestsCompleted} to an editor that asked for them.
 */
@JsonSegment("stats")
public interface StatsService {
    /** {@code stats/summary}: totals and breakdowns since the server started. Since 1.0. */
    @JsonRequest
    CompletableFuture<StatsSummaryResult> summary();

    /** {@code stats/recentRequests}: the latest finished requests, newest first. Since 1.0. */
    @JsonRequest
    CompletableFuture<RecentRequestsResult> recentRequests(RecentRequestsParams params);
}
