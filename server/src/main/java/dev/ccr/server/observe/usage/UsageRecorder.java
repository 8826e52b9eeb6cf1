package dev.ccr.server.observe.usage;

import dev.ccr.server.observe.BatchingWriter;
import dev.ccr.server.observe.PricedRequest;
import dev.ccr.server.observe.RequestRecord;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;

/**
 * Writes finished requests into the usage database: one transaction per batch, a row per request and the day's totals
 * updated alongside. Runs on its own thread (a {@link BatchingWriter}); the request path only queues. Old rows are
 * pruned now and then, on the same thread.
 */
public final class UsageRecorder implements AutoCloseable {
    private static final int QUEUE_CAPACITY = 10_000;
    private static final int MAX_BATCH = 500;
    private static final long PRUNE_EVERY_MS = 6 * 3600_000L;
    private static final long FIRST_PRUNE_AFTER_MS = 60_000;

    private final BatchingWriter<PricedRequest> writer;
    private volatile Duration retention;

    public UsageRecorder(Path file, Clock clock, Duration retention) {
        this.retention = retention;
        this.writer = new BatchingWriter<>("ccr-usage", QUEUE_CAPACITY, MAX_BATCH, new Sink(file, clock));
    }

    /** Queues a request for the database; never blocks. */
    public void offer(PricedRequest request) {
        writer.offer(request);
    }

    /** How long per-request rows are kept, from the next pruning on. */
    public void retention(Duration retention) {
        this.retention = retention;
    }

    public long dropped() {
        return writer.dropped() + writer.failed();
    }

    public boolean flush(Duration timeout) {
        return writer.flush(timeout);
    }

    @Override
    public void close() {
        writer.close(Duration.ofSeconds(5));
    }

    private static final String INSERT_REQUEST =
            """
            INSERT OR IGNORE INTO requests (request_id, started_at, day, session_id, client, operation, requested_model,
              route, endpoint, upstream_model, status, error_type, stream, cache_hit, attempts, ttfb_ms, duration_ms,
              upstream_ms, overhead_us, input_tokens, output_tokens, cache_read_tokens, cache_creation_tokens, cost_usd,
              cost_estimated)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""";

    private static final String ADD_TO_DAY =
            """
            INSERT INTO daily (day, endpoint, model, client, requests, errors, input_tokens, output_tokens,
              cache_read_tokens, cache_creation_tokens, cache_hits, cost_usd, unpriced, last_at, estimated)
            VALUES (?, ?, ?, ?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (day, endpoint, model, client) DO UPDATE SET
              requests = requests + 1,
              errors = errors + excluded.errors,
              input_tokens = input_tokens + excluded.input_tokens,
              output_tokens = output_tokens + excluded.output_tokens,
              cache_read_tokens = cache_read_tokens + excluded.cache_read_tokens,
              cache_creation_tokens = cache_creation_tokens + excluded.cache_creation_tokens,
              cache_hits = cache_hits + excluded.cache_hits,
              cost_usd = cost_usd + excluded.cost_usd,
              unpriced = unpriced + excluded.unpriced,
              last_at = max(last_at, excluded.last_at),
              estimated = estimated + excluded.estimated""";

    private final class Sink implements BatchingWriter.Sink<PricedRequest> {
        private final Path file;
        private final Clock clock;
        private Connection connection;
        private long lastPrune;

        Sink(Path file, Clock clock) {
            this.file = file;
            this.clock = clock;
            // First pruning a minute after start, not during it: opening the database loads SQLite's native library,
            // which would compete with the router's own start-up for the CPU.
            this.lastPrune = clock.millis() - PRUNE_EVERY_MS + FIRST_PRUNE_AFTER_MS;
        }

        private Connection connection() throws Exception {
            if (connection == null) {
                connection = UsageDatabase.openForWriting(file);
                connection.setAutoCommit(false);
            }
            return connection;
        }

        @Override
        public void write(List<PricedRequest> batch) throws Exception {
            Connection db = connection();
            try (PreparedStatement insert = db.prepareStatement(INSERT_REQUEST);
                    PreparedStatement addToDay = db.prepareStatement(ADD_TO_DAY)) {
                for (PricedRequest priced : batch) {
                    // A request already stored (the same id offered twice) must not count twice in the day's totals.
                    bindRequest(insert, priced);
                    if (insert.executeUpdate() == 1) {
                        bindDay(addToDay, priced);
                        addToDay.executeUpdate();
                    }
                }
                db.commit();
            } catch (SQLException e) {
                rollBack(db);
                throw e;
            }
        }

        private void bindRequest(PreparedStatement s, PricedRequest priced) throws SQLException {
            RequestRecord r = priced.record();
            boolean billable = r.billable();
            int i = 0;
            s.setString(++i, r.requestId());
            s.setLong(++i, r.startedAt());
            s.setString(++i, day(r.startedAt()));
            s.setString(++i, r.sessionId());
            s.setString(++i, r.client());
            s.setString(++i, r.operation());
            s.setString(++i, r.requestedModel());
            s.setString(++i, r.route());
            s.setString(++i, r.endpoint());
            s.setString(++i, r.upstreamModel());
            s.setInt(++i, r.status());
            s.setString(++i, r.errorType());
            s.setInt(++i, r.stream() ? 1 : 0);
            s.setInt(++i, r.cacheHit() ? 1 : 0);
            s.setInt(++i, r.attempts());
            s.setLong(++i, r.timeToFirstByteMillis());
            s.setLong(++i, r.durationMillis());
            s.setLong(++i, r.upstreamMillis());
            s.setLong(++i, r.overheadMicros());
            // Usage counts billable tokens only: a count_tokens answer is not spent tokens.
            s.setLong(++i, billable ? r.inputTokens() : 0);
            s.setLong(++i, billable ? r.outputTokens() : 0);
            s.setLong(++i, billable ? r.cacheReadTokens() : 0);
            s.setLong(++i, billable ? r.cacheCreationTokens() : 0);
            if (priced.costUsd() == null) {
                s.setNull(++i, Types.REAL);
            } else {
                s.setDouble(++i, priced.costUsd());
            }
            s.setInt(++i, priced.costEstimated() ? 1 : 0);
        }

        private void bindDay(PreparedStatement s, PricedRequest priced) throws SQLException {
            RequestRecord r = priced.record();
            boolean billable = r.billable();
            int i = 0;
            s.setString(++i, day(r.startedAt()));
            s.setString(++i, orNone(r.endpoint()));
            s.setString(++i, orNone(UsageQueries.modelOf(r.upstreamModel(), r.requestedModel())));
            s.setString(++i, orNone(r.client()));
            s.setInt(++i, r.failed() ? 1 : 0);
            s.setLong(++i, billable ? r.inputTokens() : 0);
            s.setLong(++i, billable ? r.outputTokens() : 0);
            s.setLong(++i, billable ? r.cacheReadTokens() : 0);
            s.setLong(++i, billable ? r.cacheCreationTokens() : 0);
            s.setInt(++i, r.cacheHit() ? 1 : 0);
            s.setDouble(++i, priced.knownCost());
            s.setInt(++i, priced.unpriced() ? 1 : 0);
            s.setLong(++i, r.startedAt());
            s.setInt(++i, priced.costEstimated() ? 1 : 0);
        }

        private String day(long epochMillis) {
            return LocalDate.ofInstant(java.time.Instant.ofEpochMilli(epochMillis), clock.getZone())
                    .toString();
        }

        @Override
        public void idle() throws Exception {
            long now = clock.millis();
            if (now - lastPrune < PRUNE_EVERY_MS) {
                return;
            }
            lastPrune = now;
            Connection db = connection();
            try (PreparedStatement requests = db.prepareStatement("DELETE FROM requests WHERE started_at < ?");
                    PreparedStatement days = db.prepareStatement("DELETE FROM daily WHERE day < ?")) {
                requests.setLong(1, now - retention.toMillis());
                requests.executeUpdate();
                days.setString(
                        1,
                        LocalDate.now(clock)
                                .minusDays(UsageDatabase.DAILY_RETENTION_DAYS)
                                .toString());
                days.executeUpdate();
                db.commit();
            } catch (SQLException e) {
                rollBack(db);
                throw e;
            }
            db.setAutoCommit(true);
            try (var sql = db.createStatement()) {
                sql.execute("PRAGMA incremental_vacuum");
            } finally {
                db.setAutoCommit(false);
            }
        }

        private void rollBack(Connection db) {
            try {
                db.rollback();
            } catch (SQLException ignored) {
                // the original failure is what gets reported
            }
        }

        @Override
        public void close() throws Exception {
            if (connection != null) {
                connection.close();
            }
        }
    }

    private static String orNone(String value) {
        return value == null ? UsageGroup.NONE : value;
    }
}
