package dev.ccr.protocol.stats;

import java.util.List;

/**
 * Usage since the server started.
 *
 * @param since when counting began, epoch milliseconds
 * @param total every request; never null
 * @param byEndpoint per endpoint that served requests, busiest first; requests that never reached an endpoint are
 *     under {@code "(none)"}; never null
 * @param byModel per model actually used (the upstream model, else the requested one), busiest first; never null
 * @param bySession per Claude Code session ({@code x-claude-code-session-id}), most recent first; requests without one
 *     are under {@code "(none)"}; only the most recent sessions are kept; never null
 */
public record StatsSummaryResult(
        long since,
        UsageStats total,
        List<UsageGroup> byEndpoint,
        List<UsageGroup> byModel,
        List<UsageGroup> bySession) {}
