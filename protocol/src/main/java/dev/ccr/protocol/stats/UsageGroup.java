package dev.ccr.protocol.stats;

/**
 * The usage of one endpoint, model or session.
 *
 * @param name the endpoint name, model id or session id; {@code "(none)"} for requests without one; never null
 * @param lastRequestAt when its latest request started, epoch milliseconds
 * @param usage its counts; never null
 */
public record UsageGroup(String name, long lastRequestAt, UsageStats usage) {}
