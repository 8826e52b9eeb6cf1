package dev.ccr.server.observe.log;

import dev.ccr.server.config.EffectiveConfig;
import dev.ccr.server.observe.BatchingWriter;
import dev.ccr.server.observe.PricedRequest;
import dev.ccr.server.observe.redact.Redactor;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * The request log: one JSON line per finished request, written by its own thread, rotated by size and by day, old
 * files deleted by count and age. The request path only queues the record.
 */
public final class RequestLog implements AutoCloseable {
    private static final int QUEUE_CAPACITY = 10_000;
    private static final int MAX_BATCH = 512;
    private static final long PRUNE_EVERY_MS = 10 * 60_000;

    private final BatchingWriter<PricedRequest> writer;
    private volatile EffectiveConfig.Log settings;
    private volatile Redactor redactor;

    public RequestLog(RequestLogFiles files, Clock clock, EffectiveConfig.Log settings, Redactor redactor) {
        this.settings = settings;
        this.redactor = redactor;
        this.writer = new BatchingWriter<>(
                "ccr-request-log",
                QUEUE_CAPACITY,
                MAX_BATCH,
                new Sink(new RotatingFile(
                        files, clock, settings.maxFileBytes(), settings.maxFiles(), settings.retention())));
    }

    /** Applies a reloaded config: whether to log, the limits, and the secrets to redact. */
    public void configure(EffectiveConfig.Log settings, Redactor redactor) {
        this.settings = settings;
        this.redactor = redactor;
    }

    /** Queues a line for the log (if the log is on); never blocks. */
    public void offer(PricedRequest request) {
        if (settings.requests()) {
            writer.offer(request);
        }
    }

    /** Lines dropped because the disk could not keep up. */
    public long dropped() {
        return writer.dropped();
    }

    public boolean flush(Duration timeout) {
        return writer.flush(timeout);
    }

    @Override
    public void close() {
        writer.close(Duration.ofSeconds(5));
    }

    private final class Sink implements BatchingWriter.Sink<PricedRequest> {
        private final RotatingFile file;
        private long lastPrune;

        Sink(RotatingFile file) {
            this.file = file;
        }

        @Override
        public void write(List<PricedRequest> batch) throws Exception {
            EffectiveConfig.Log limits = settings;
            file.limits(limits.maxFileBytes(), limits.maxFiles(), limits.retention());
            Redactor current = redactor;
            for (PricedRequest request : batch) {
                file.append(RequestLogLine.format(request, current));
            }
            // Flushed per batch, not per line: 'ccr logs --follow' sees lines within the writer's idle interval.
            file.flush();
        }

        @Override
        public void idle() throws Exception {
            long now = System.currentTimeMillis();
            if (now - lastPrune > PRUNE_EVERY_MS) {
                lastPrune = now;
                EffectiveConfig.Log limits = settings;
                file.limits(limits.maxFileBytes(), limits.maxFiles(), limits.retention());
                file.prune();
            }
        }

        @Override
        public void close() throws Exception {
            file.close();
        }
    }
}
