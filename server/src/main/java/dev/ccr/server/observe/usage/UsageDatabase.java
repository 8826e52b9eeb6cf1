package dev.ccr.server.observe.usage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * The usage history: an SQLite file, {@code ~/.claude-code-router/usage.db}, shared by every router of the user and
 * read by {@code ccr stats} whether or not a router runs. WAL mode lets readers work while a router writes; routers on
 * different ports write to it side by side (SQLite serialises them, with a busy timeout).
 *
 * <p>Two tables: {@code requests}, one row per request, kept for {@code log.usageRetentionDays}; and {@code daily},
 * totals per day, endpoint, model and client token, kept for {@link #DAILY_RETENTION_DAYS} days. Together they keep
 * the file small however long ccr runs.
 */
public final class UsageDatabase {
    public static final String FILE_NAME = "usage.db";
    public static final int DAILY_RETENTION_DAYS = 731;
    /** 2: costs estimated from a model's family are counted ({@code requests.cost_estimated}, {@code daily.estimated}). */
    static final int SCHEMA_VERSION = 2;

    private static final int BUSY_TIMEOUT_MS = 5_000;

    private UsageDatabase() {}

    /** Opens the database for writing, creating it and its tables if needed. */
    public static Connection openForWriting(Path file) throws SQLException, IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        // NORMAL in WAL mode loses at most the last transactions on a power cut, never the file's integrity.
        config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
        config.setBusyTimeout(BUSY_TIMEOUT_MS);
        Connection connection = dataSource(file, config).getConnection();
        try {
            createSchema(connection);
        } catch (SQLException e) {
            connection.close();
            throw e;
        }
        return connection;
    }

    /** The schema version of an open database: an older router's file lacks the newer columns until it is written. */
    static int version(Connection connection) throws SQLException {
        try (Statement sql = connection.createStatement();
                var result = sql.executeQuery("PRAGMA user_version")) {
            return result.next() ? result.getInt(1) : 0;
        }
    }

    /** Opens an existing database for reading only. */
    public static Connection openForReading(Path file) throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        config.setReadOnly(true);
        config.setBusyTimeout(BUSY_TIMEOUT_MS);
        return dataSource(file, config).getConnection();
    }

    private static SQLiteDataSource dataSource(Path file, SQLiteConfig config) {
        SQLiteDataSource source = new SQLiteDataSource(config);
        source.setUrl("jdbc:sqlite:" + file.toAbsolutePath());
        return source;
    }

    private static void createSchema(Connection connection) throws SQLException {
        try (Statement sql = connection.createStatement()) {
            int version;
            try (var result = sql.executeQuery("PRAGMA user_version")) {
                version = result.next() ? result.getInt(1) : 0;
            }
            if (version >= SCHEMA_VERSION) {
                return;
            }
            if (version == 1) {
                sql.execute("ALTER TABLE requests ADD COLUMN cost_estimated INTEGER NOT NULL DEFAULT 0");
                sql.execute("ALTER TABLE daily ADD COLUMN estimated INTEGER NOT NULL DEFAULT 0");
                sql.execute("PRAGMA user_version = " + SCHEMA_VERSION);
                return;
            }
            // Effective only before the first table exists: deleted rows' pages can then be returned to the OS.
            sql.execute("PRAGMA auto_vacuum = INCREMENTAL");
            sql.execute(
                    """
                    CREATE TABLE IF NOT EXISTS requests (
                      request_id TEXT PRIMARY KEY,
                      started_at INTEGER NOT NULL,
                      day TEXT NOT NULL,
                      session_id TEXT,
                      client TEXT,
                      operation TEXT NOT NULL,
                      requested_model TEXT,
                      route TEXT,
                      endpoint TEXT,
                      upstream_model TEXT,
                      status INTEGER NOT NULL,
                      error_type TEXT,
                      stream INTEGER NOT NULL,
                      cache_hit INTEGER NOT NULL,
                      attempts INTEGER NOT NULL,
                      ttfb_ms INTEGER NOT NULL,
                      duration_ms INTEGER NOT NULL,
                      upstream_ms INTEGER NOT NULL,
                      overhead_us INTEGER NOT NULL,
                      input_tokens INTEGER NOT NULL,
                      output_tokens INTEGER NOT NULL,
                      cache_read_tokens INTEGER NOT NULL,
                      cache_creation_tokens INTEGER NOT NULL,
                      cost_usd REAL,
                      cost_estimated INTEGER NOT NULL DEFAULT 0
                    )""");
            sql.execute("CREATE INDEX IF NOT EXISTS requests_by_time ON requests(started_at)");
            sql.execute("CREATE INDEX IF NOT EXISTS requests_by_session ON requests(session_id, started_at)");
            sql.execute(
                    """
                    CREATE TABLE IF NOT EXISTS daily (
                      day TEXT NOT NULL,
                      endpoint TEXT NOT NULL,
                      model TEXT NOT NULL,
                      client TEXT NOT NULL,
                      requests INTEGER NOT NULL,
                      errors INTEGER NOT NULL,
                      input_tokens INTEGER NOT NULL,
                      output_tokens INTEGER NOT NULL,
                      cache_read_tokens INTEGER NOT NULL,
                      cache_creation_tokens INTEGER NOT NULL,
                      cache_hits INTEGER NOT NULL,
                      cost_usd REAL NOT NULL,
                      unpriced INTEGER NOT NULL,
                      last_at INTEGER NOT NULL,
                      estimated INTEGER NOT NULL DEFAULT 0,
                      PRIMARY KEY (day, endpoint, model, client)
                    )""");
            sql.execute("PRAGMA user_version = " + SCHEMA_VERSION);
        }
    }
}
