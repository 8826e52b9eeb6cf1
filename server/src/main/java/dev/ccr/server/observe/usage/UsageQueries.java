package dev.ccr.server.observe.usage;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads usage history from the usage database. Blocking: call it from a worker thread or the command line, never from
 * an event loop. Totals per model, endpoint, client and day come from the daily table and reach back two years;
 * anything per session comes from the per-request rows, which reach back {@code log.usageRetentionDays}.
 */
public final class UsageQueries {
    private final Path file;

    public UsageQueries(Path file) {
        this.file = file;
    }

    public Path file() {
        return file;
    }

    /** The model a request counts under: the one the upstream was asked for, else the one the client asked for. */
    static String modelOf(String upstreamModel, String requestedModel) {
        return upstreamModel != null ? upstreamModel : requestedModel;
    }

    /**
     * Usage over whole local days, broken down by {@code by}.
     *
     * @param sessionId only this session's requests (or those of the sessions whose id starts so), or {@code null}
     * @return empty when the database does not exist yet (nothing was ever recorded)
     */
    public Optional<UsageReport> report(LocalDate from, LocalDate to, Grouping by, String sessionId)
            throws SQLException {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        boolean perRequest = sessionId != null || by == Grouping.SESSION;
        try (Connection db = UsageDatabase.openForReading(file)) {
            boolean estimates = UsageDatabase.version(db) >= 2;
            UsageTotals total = UsageTotals.ZERO;
            List<UsageGroup> groups = query(db, estimates, perRequest, by, from, to, sessionId, true);
            if (!groups.isEmpty()) {
                total = groups.get(0).usage();
            }
            groups = query(db, estimates, perRequest, by, from, to, sessionId, false);
            return Optional.of(new UsageReport(from, to, sessionId, by, total, groups));
        }
    }

    private static List<UsageGroup> query(
            Connection db,
            boolean estimates,
            boolean perRequest,
            Grouping by,
            LocalDate from,
            LocalDate to,
            String sessionId,
            boolean totalOnly)
            throws SQLException {
        String name = totalOnly ? "'total'" : perRequest ? requestColumn(by) : dailyColumn(by);
        String select = perRequest
                ? """
                  SELECT %s AS name, max(started_at), count(*),
                    sum(CASE WHEN status >= 400 OR error_type IS NOT NULL THEN 1 ELSE 0 END),
                    sum(input_tokens), sum(output_tokens), sum(cache_read_tokens), sum(cache_creation_tokens),
                    sum(cache_hit), coalesce(sum(cost_usd), 0), sum(CASE WHEN cost_usd IS NULL THEN 1 ELSE 0 END), %s
                  FROM requests WHERE day BETWEEN ? AND ?%s"""
                        .formatted(
                                name,
                                estimates ? "sum(cost_estimated)" : "0",
                                sessionId == null ? "" : " AND substr(session_id, 1, ?) = ?")
                : """
                  SELECT %s AS name, max(last_at), sum(requests), sum(errors), sum(input_tokens), sum(output_tokens),
                    sum(cache_read_tokens), sum(cache_creation_tokens), sum(cache_hits), sum(cost_usd), sum(unpriced),
                    %s
                  FROM daily WHERE day BETWEEN ? AND ?"""
                        .formatted(name, estimates ? "sum(estimated)" : "0");
        // By position: 10 is the cost, 3 the request count, 1 the name.
        String order = by == Grouping.DAY ? "1" : "10 DESC, 3 DESC, 1";
        String sql = totalOnly ? select : select + " GROUP BY name ORDER BY " + order;
        List<UsageGroup> groups = new ArrayList<>();
        try (PreparedStatement statement = db.prepareStatement(sql)) {
            statement.setString(1, from.toString());
            statement.setString(2, to.toString());
            if (perRequest && sessionId != null) {
                statement.setInt(3, sessionId.length());
                statement.setString(4, sessionId);
            }
            try (ResultSet row = statement.executeQuery()) {
                while (row.next()) {
                    if (row.getLong(3) == 0) {
                        continue; // an aggregate over no rows
                    }
                    groups.add(new UsageGroup(
                            row.getString(1),
                            row.getLong(2),
                            new UsageTotals(
                                    row.getLong(3),
                                    row.getLong(4),
                                    row.getLong(5),
                                    row.getLong(6),
                                    row.getLong(7),
                                    row.getLong(8),
                                    row.getLong(9),
                                    row.getDouble(10),
                                    row.getLong(11),
                                    row.getLong(12)),
                            null,
                            null));
                }
            }
        }
        return groups;
    }

    /**
     * What each client spent on {@code day} in requests that started before {@code before} (epoch milliseconds): the
     * spend a router starting now inherits for daily budgets.
     */
    public java.util.Map<String, Double> spentByClient(LocalDate day, long before) throws SQLException {
        java.util.Map<String, Double> spent = new java.util.HashMap<>();
        if (!Files.exists(file)) {
            return spent;
        }
        try (Connection db = UsageDatabase.openForReading(file);
                PreparedStatement statement = db.prepareStatement(
                        "SELECT client, sum(cost_usd) FROM requests WHERE day = ? AND started_at < ?"
                                + " AND cost_usd IS NOT NULL GROUP BY client")) {
            statement.setString(1, day.toString());
            statement.setLong(2, before);
            try (ResultSet row = statement.executeQuery()) {
                while (row.next()) {
                    if (row.getString(1) != null) {
                        spent.put(row.getString(1), row.getDouble(2));
                    }
                }
            }
        }
        return spent;
    }

    private static String dailyColumn(Grouping by) {
        return switch (by) {
            case MODEL -> "model";
            case ENDPOINT -> "endpoint";
            case CLIENT -> "client";
            case DAY -> "day";
            case SESSION -> throw new IllegalArgumentException("sessions are not in the daily totals");
        };
    }

    private static String requestColumn(Grouping by) {
        String column =
                switch (by) {
                    case MODEL -> "coalesce(upstream_model, requested_model)";
                    case ENDPOINT -> "endpoint";
                    case CLIENT -> "client";
                    case DAY -> "day";
                    case SESSION -> "session_id";
                };
        return "coalesce(" + column + ", '" + UsageGroup.NONE + "')";
    }
}
