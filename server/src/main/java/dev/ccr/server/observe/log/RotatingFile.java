package dev.ccr.server.observe.log;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * An append-only file that starts afresh when it reaches a size or when the day changes, and deletes old files beyond
 * a count or an age. Written by one thread only (the request log's writer).
 */
final class RotatingFile implements AutoCloseable {
    private final RequestLogFiles files;
    private final Clock clock;
    private long maxBytes;
    private int maxFiles;
    private Duration retention;
    private OutputStream out;
    private long size;
    private LocalDate day;

    RotatingFile(RequestLogFiles files, Clock clock, long maxBytes, int maxFiles, Duration retention) {
        this.files = files;
        this.clock = clock;
        limits(maxBytes, maxFiles, retention);
    }

    /** New limits (a config reload); they apply from the next write. */
    void limits(long maxBytes, int maxFiles, Duration retention) {
        this.maxBytes = maxBytes;
        this.maxFiles = maxFiles;
        this.retention = retention;
    }

    void append(byte[] bytes) throws IOException {
        LocalDate today = LocalDate.now(clock);
        if (out == null) {
            open(today);
        }
        if (size > 0 && (size + bytes.length > maxBytes || !today.equals(day))) {
            rotate(today);
        }
        out.write(bytes);
        size += bytes.length;
    }

    void flush() throws IOException {
        if (out != null) {
            out.flush();
        }
    }

    private void open(LocalDate today) throws IOException {
        Files.createDirectories(files.directory());
        Path current = files.current();
        if (Files.exists(current)) {
            size = Files.size(current);
            // A file left by an earlier run belongs to the day it was last written.
            day = LocalDate.ofInstant(Files.getLastModifiedTime(current).toInstant(), clock.getZone());
        } else {
            size = 0;
            day = today;
        }
        out = new BufferedOutputStream(
                Files.newOutputStream(current, StandardOpenOption.CREATE, StandardOpenOption.APPEND), 64 * 1024);
    }

    private void rotate(LocalDate today) throws IOException {
        out.close();
        Instant now = clock.instant();
        Path target = files.rotated(now);
        while (Files.exists(target)) {
            now = now.plusMillis(1);
            target = files.rotated(now);
        }
        Files.move(files.current(), target, StandardCopyOption.ATOMIC_MOVE);
        out = null;
        open(today);
        prune();
    }

    /** Deletes rotated files beyond {@code maxFiles} (oldest first) and those older than the retention. */
    void prune() throws IOException {
        List<Path> rotated = files.rotated();
        Instant cutoff = clock.instant().minus(retention);
        for (int i = 0; i < rotated.size(); i++) {
            Path file = rotated.get(i);
            boolean tooMany = rotated.size() - i > maxFiles;
            if (tooMany || Files.getLastModifiedTime(file).toInstant().isBefore(cutoff)) {
                Files.deleteIfExists(file);
            }
        }
    }

    @Override
    public void close() throws IOException {
        if (out != null) {
            out.close();
            out = null;
        }
    }
}
