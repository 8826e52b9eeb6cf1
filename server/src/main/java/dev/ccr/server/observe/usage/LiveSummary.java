package dev.ccr.server.observe.usage;

import java.util.List;

/**
 * Usage since this router started, kept in memory (what the editor's dashboard shows live).
 *
 * @param since when counting began, epoch milliseconds
 * @param total every request
 * @param byEndpoint per endpoint, busiest first; requests never routed are under {@code "(none)"}
 * @param byModel per model (the upstream model, else the requested one), busiest first
 * @param bySession per Claude Code session, most recent first; only the latest {@link LiveStats#MAX_SESSIONS} are
 *     kept; requests without a session id are under {@code "(none)"}
 */
public record LiveSummary(
        long since,
        UsageGroup total,
        List<UsageGroup> byEndpoint,
        List<UsageGroup> byModel,
        List<UsageGroup> bySession) {}
