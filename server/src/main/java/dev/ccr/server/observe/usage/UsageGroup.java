package dev.ccr.server.observe.usage;

/**
 * The usage of one endpoint, model, session, client token or day.
 *
 * @param name the endpoint, model id, session id, token name or day ({@code YYYY-MM-DD}); {@code "(none)"} for
 *     requests without one
 * @param lastRequestAt when its latest request started, epoch milliseconds
 * @param usage its counts
 * @param duration arrival to last byte; {@code null} when not tracked (history) or no requests
 * @param timeToFirstByte arrival to first byte; {@code null} when not tracked or nothing was sent
 */
public record UsageGroup(
        String name, long lastRequestAt, UsageTotals usage, LatencySummary duration, LatencySummary timeToFirstByte) {

    public static final String NONE = "(none)";
}
