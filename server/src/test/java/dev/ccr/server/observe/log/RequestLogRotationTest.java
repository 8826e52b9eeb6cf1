package dev.ccr.server.observe.log;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ccr.server.config.EffectiveConfig;
import dev.ccr.server.observe.PricedRequest;
import dev.ccr.server.observe.RequestRecord;
import dev.ccr.server.observe.redact.Redactor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The request log starts a new file when one grows too big or a day ends, and deletes old files by count and age. */
class RequestLogRotationTest {
    @TempDir
    Path directory;

    /** A clock the test moves by hand. */
    private static final class ManualClock extends Clock {
        Instant now = Instant.parse("2026-03-01T10:00:00Z");

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private static PricedRequest request(int i) {
        return new PricedRequest(
                new RequestRecord(
                        "req_" + i,
                        0,
                        null,
                        "local",
                        "messages",
                        "m",
                        "default",
                        "e",
                        "m",
                        200,
                        null,
                        true,
                        1,
                        2,
                        1,
                        100,
                        1,
                        1,
                        0,
                        0,
                        1,
                        null,
                        false,
                        null),
                0.0);
    }

    private static EffectiveConfig.Log limits(long maxBytes, int maxFiles, Duration retention) {
        return new EffectiveConfig.Log(true, false, 1024, maxBytes, maxFiles, retention, Duration.ofDays(90));
    }

    @Test
    void aFullFileIsRotatedAndTheOldestBeyondTheCountAreDeleted() throws Exception {
        ManualClock clock = new ManualClock();
        RequestLogFiles files = new RequestLogFiles(directory, 3000);
        int lineLength = RequestLogLine.format(request(10), Redactor.patternsOnly()).length;
        // Room for three lines per file; keep two rotated files.
        try (RequestLog log = new RequestLog(
                files, clock, limits(lineLength * 3L + 10, 2, Duration.ofDays(14)), Redactor.patternsOnly())) {
            for (int i = 10; i < 22; i++) {
                clock.now = clock.now.plusSeconds(1);
                log.offer(request(i));
                assertThat(log.flush(Duration.ofSeconds(5))).isTrue();
            }
        }
        assertThat(files.rotated()).hasSize(2);
        List<String> kept = new ArrayList<>();
        for (Path file : files.all()) {
            List<String> lines = Files.readAllLines(file);
            assertThat(lines).hasSizeLessThanOrEqualTo(3);
            lines.forEach(line -> kept.add(line.substring(line.indexOf("req_"), line.indexOf("req_") + 6)));
        }
        assertThat(kept)
                .as("the newest requests, in order, in the current file and the two newest rotated ones")
                .containsExactly(
                        "req_13", "req_14", "req_15", "req_16", "req_17", "req_18", "req_19", "req_20", "req_21");
    }

    @Test
    void aNewDayStartsANewFileAndOldFilesAgeOut() throws Exception {
        ManualClock clock = new ManualClock();
        RequestLogFiles files = new RequestLogFiles(directory, 3000);
        try (RequestLog log =
                new RequestLog(files, clock, limits(1 << 20, 100, Duration.ofDays(2)), Redactor.patternsOnly())) {
            log.offer(request(10));
            log.flush(Duration.ofSeconds(5));
            Path yesterdays = files.current();
            Files.setLastModifiedTime(yesterdays, FileTime.from(clock.now));

            clock.now = clock.now.plus(Duration.ofDays(1));
            log.offer(request(11));
            log.flush(Duration.ofSeconds(5));
            assertThat(files.rotated()).hasSize(1);
            assertThat(Files.readString(files.current())).contains("req_11").doesNotContain("req_10");
            Path rotated = files.rotated().get(0);
            assertThat(Files.readString(rotated)).contains("req_10");
            assertThat(rotated.getFileName().toString()).isEqualTo("requests-3000.20260302T100000.000Z.jsonl");

            // Three days on, the next rotation deletes the file that is now older than the two days kept.
            Files.setLastModifiedTime(rotated, FileTime.from(clock.now.minus(Duration.ofDays(1))));
            Files.setLastModifiedTime(files.current(), FileTime.from(clock.now));
            clock.now = clock.now.plus(Duration.ofDays(2));
            log.offer(request(12));
            log.flush(Duration.ofSeconds(5));
            assertThat(files.rotated()).hasSize(1);
            assertThat(Files.readString(files.rotated().get(0))).contains("req_11");
        }
    }

    @Test
    void aLogFileLeftByAnEarlierRunIsContinuedTheSameDay() throws Exception {
        ManualClock clock = new ManualClock();
        RequestLogFiles files = new RequestLogFiles(directory, 3000);
        Files.writeString(files.current(), "{\"requestId\":\"req_old\"}\n");
        Files.setLastModifiedTime(files.current(), FileTime.from(clock.now.minusSeconds(60)));
        try (RequestLog log =
                new RequestLog(files, clock, limits(1 << 20, 5, Duration.ofDays(2)), Redactor.patternsOnly())) {
            log.offer(request(10));
            log.flush(Duration.ofSeconds(5));
        }
        assertThat(files.rotated()).isEmpty();
        assertThat(Files.readAllLines(files.current())).hasSize(2);
    }
}
