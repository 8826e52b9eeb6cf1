package dev.ccr.server.observe.usage;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A usage database written by an older router gains the newer columns, keeping its rows. */
class UsageDatabaseMigrationTest {
    @TempDir
    Path directory;

    @Test
    void aVersionOneFileIsMigratedAndKeepsItsRows() throws Exception {
        Path file = directory.resolve("usage.db");
        try (Connection db = UsageDatabase.openForWriting(file);
                Statement sql = db.createStatement()) {
            // Back to what version 1 wrote: no estimate columns.
            sql.execute("ALTER TABLE requests DROP COLUMN cost_estimated");
            sql.execute("ALTER TABLE daily DROP COLUMN estimated");
            sql.execute("INSERT INTO daily (day, endpoint, model, client, requests, errors, input_tokens,"
                    + " output_tokens, cache_read_tokens, cache_creation_tokens, cache_hits, cost_usd, unpriced, last_at)"
                    + " VALUES ('2026-01-01', 'a', 'm', 'local', 3, 0, 1, 1, 0, 0, 0, 0.5, 0, 1)");
            sql.execute("PRAGMA user_version = 1");
        }
        assertThat(new UsageQueries(file)
                        .report(
                                java.time.LocalDate.parse("2026-01-01"),
                                java.time.LocalDate.parse("2026-01-01"),
                                Grouping.MODEL,
                                null)
                        .orElseThrow()
                        .total()
                        .requests())
                .as("a version 1 file still reads")
                .isEqualTo(3);

        try (Connection db = UsageDatabase.openForWriting(file)) {
            assertThat(UsageDatabase.version(db)).isEqualTo(UsageDatabase.SCHEMA_VERSION);
            assertThat(columns(db, "requests")).contains("cost_estimated");
            assertThat(columns(db, "daily")).contains("estimated");
            try (Statement sql = db.createStatement();
                    ResultSet row = sql.executeQuery("SELECT requests, estimated FROM daily")) {
                assertThat(row.next()).isTrue();
                assertThat(row.getLong(1)).isEqualTo(3);
                assertThat(row.getLong(2)).isZero();
            }
        }
    }

    private static List<String> columns(Connection db, String table) throws Exception {
        List<String> names = new ArrayList<>();
        try (Statement sql = db.createStatement();
                ResultSet row = sql.executeQuery("PRAGMA table_info(" + table + ")")) {
            while (row.next()) {
                names.add(row.getString("name"));
            }
        }
        return names;
    }
}
