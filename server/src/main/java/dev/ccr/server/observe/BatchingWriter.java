package dev.ccr.server.observe;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands items from the request path to one writer thread that does the slow part (disk, database) in batches. Offering
 * never blocks and takes no lock: a lock-free queue bounded by a counter, so the event loop only pays a CAS or two.
 * When the writer falls behind by {@code capacity} items, new items are dropped and counted rather than letting memory
 * grow or the event loop wait.
 *
 * @param <T> what is written
 */
public final class BatchingWriter<T> implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(BatchingWriter.class);
    /** How long the writer sleeps when idle: the latency of a write, and how often {@link Sink#idle} runs at most. */
    private static final long IDLE_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

    /** Where the batches go; called on the writer thread only. */
    public interface Sink<T> {
        void write(List<T> batch) throws Exception;

        /** Called when the queue is empty: time for housekeeping (flushing, pruning). */
        default void idle() throws Exception {}

        /** Called once, on the writer thread, after the last batch. */
        default void close() throws Exception {}
    }

    private final String name;
    private final int capacity;
    private final int maxBatch;
    private final Sink<T> sink;
    private final ConcurrentLinkedQueue<T> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger size = new AtomicInteger();
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong done = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final Thread thread;
    private volatile boolean closing;
    private long lastFailureLog;

    public BatchingWriter(String name, int capacity, int maxBatch, Sink<T> sink) {
        this.name = name;
        this.capacity = capacity;
        this.maxBatch = maxBatch;
        this.sink = sink;
        this.thread = new Thread(this::run, name);
        thread.setDaemon(true);
        thread.start();
    }

    /** Queues an item for writing; {@code false} if it was dropped because the writer is behind or closed. */
    public boolean offer(T item) {
        if (closing || size.incrementAndGet() > capacity) {
            size.decrementAndGet();
            dropped.incrementAndGet();
            return false;
        }
        accepted.incrementAndGet();
        queue.add(item);
        return true;
    }

    /** Items dropped so far because the writer was behind. */
    public long dropped() {
        return dropped.get();
    }

    /** Items whose batch failed to write. */
    public long failed() {
        return failed.get();
    }

    /** Waits until everything offered before this call has been written (or failed), at most {@code timeout}. */
    public boolean flush(Duration timeout) {
        long target = accepted.get();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (done.get() < target) {
            if (System.nanoTime() > deadline || !thread.isAlive()) {
                return false;
            }
            LockSupport.unpark(thread);
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
        }
        return true;
    }

    private void run() {
        List<T> batch = new ArrayList<>(maxBatch);
        while (true) {
            T item;
            while (batch.size() < maxBatch && (item = queue.poll()) != null) {
                batch.add(item);
            }
            if (!batch.isEmpty()) {
                size.addAndGet(-batch.size());
                attempt(() -> sink.write(batch), batch.size());
                done.addAndGet(batch.size());
                batch.clear();
                continue;
            }
            attempt(sink::idle, 0);
            if (closing && queue.isEmpty()) {
                break;
            }
            LockSupport.parkNanos(this, IDLE_PARK_NANOS);
        }
        attempt(sink::close, 0);
    }

    private interface Step {
        void run() throws Exception;
    }

    private void attempt(Step step, int items) {
        try {
            step.run();
        } catch (Exception | LinkageError e) {
            failed.addAndGet(items);
            // A full disk or a locked database fails every batch: say so once a minute, not once a batch.
            long now = System.currentTimeMillis();
            if (now - lastFailureLog > 60_000) {
                lastFailureLog = now;
                log.warn("{}: writing failed ({} items lost so far): {}", name, failed.get(), e.toString());
            }
        }
    }

    /** Writes what is queued, closes the sink, and stops the thread; waits at most {@code timeout}. */
    public void close(Duration timeout) {
        closing = true;
        LockSupport.unpark(thread);
        try {
            thread.join(Math.max(1, timeout.toMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            log.warn("{}: still writing after {} ms; {} items may be lost", name, timeout.toMillis(), size.get());
        }
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(5));
    }
}
