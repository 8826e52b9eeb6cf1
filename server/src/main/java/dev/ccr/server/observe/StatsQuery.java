package dev.ccr.server.observe;

import dev.ccr.server.observe.usage.Grouping;
import dev.ccr.server.observe.usage.LiveSummary;
import dev.ccr.server.observe.usage.UsageReport;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * What the editor's dashboard reads (the protocol's {@code stats/*} methods and pushes) and the {@code /ccr/stats} API
 * serves. Get it from {@code RouterRuntime.stats()}.
 */
public interface StatsQuery {
    /** Usage since this router started, with latency percentiles; cheap, callable from any thread. */
    LiveSummary live();

    /** The latest finished requests with their cost, newest first (at most 500 are kept); any thread. */
    List<PricedRequest> recent(int limit);

    /**
     * Usage history from {@code usage.db} (every router of this user, surviving restarts) over whole local days.
     * Blocking: call it off the event loop. Empty when no history exists yet or this router keeps none.
     *
     * @param sessionId only this Claude Code session, or {@code null} for all
     */
    Optional<UsageReport> usage(LocalDate from, LocalDate to, Grouping by, String sessionId) throws SQLException;

    /**
     * Tells {@code listener} about every finished request with its cost, on the event loop that served it: it must not
     * block, and should hand work elsewhere (batching pushes, say). Close the handle to stop.
     */
    AutoCloseable subscribe(Consumer<PricedRequest> listener);
}
