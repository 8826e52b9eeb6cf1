package dev.ccr.server.observe.usage;

import java.time.LocalDate;
import java.util.List;

/**
 * Usage history over whole days (local time), from the usage database.
 *
 * @param from the first day
 * @param to the last day, inclusive
 * @param sessionId the one session counted, or {@code null} for all
 * @param by how {@code groups} are broken down
 * @param total everything in the period
 * @param groups by {@code by}, costliest first
 */
public record UsageReport(
        LocalDate from, LocalDate to, String sessionId, Grouping by, UsageTotals total, List<UsageGroup> groups) {}
