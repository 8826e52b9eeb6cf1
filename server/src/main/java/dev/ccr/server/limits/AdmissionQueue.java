package dev.ccr.server.limits;

import io.vertx.core.Context;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Requests waiting briefly for a limit to free up instead of being refused ({@code limits.queueMs}). A waiter retries
 * when a permit of a key it waits on is released (first come, first served per key) or when its timer fires, whichever
 * comes first, and always on its own event loop. Bounded: past {@code maxQueued} waiters, requests are refused at once.
 */
public final class AdmissionQueue {
    private final Map<String, Deque<Waiting>> byKey = new HashMap<>();
    private int size;

    /** One waiting request. */
    public final class Waiting {
        private final Context context;
        private final List<String> keys;
        private final Runnable retry;
        private long timer = -1;
        private boolean done;

        private Waiting(Context context, List<String> keys, Runnable retry) {
            this.context = context;
            this.keys = keys;
            this.retry = retry;
        }

        /** Stops waiting without retrying (the client left, or the request was answered otherwise). */
        public void cancel() {
            if (leave()) {
                cancelTimer();
            }
        }

        private void wake() {
            if (leave()) {
                context.runOnContext(v -> {
                    cancelTimer();
                    retry.run();
                });
            }
        }

        private void cancelTimer() {
            if (timer >= 0) {
                context.owner().cancelTimer(timer);
                timer = -1;
            }
        }

        private boolean leave() {
            synchronized (AdmissionQueue.this) {
                if (done) {
                    return false;
                }
                done = true;
                size--;
                for (String key : keys) {
                    Deque<Waiting> waiting = byKey.get(key);
                    if (waiting != null) {
                        waiting.remove(this);
                        if (waiting.isEmpty()) {
                            byKey.remove(key);
                        }
                    }
                }
                return true;
            }
        }
    }

    /**
     * Waits on the current event loop for a release of any of {@code keys}, or {@code millis} at most, then runs
     * {@code retry} there.
     *
     * @return the waiter, or {@code null} when {@code maxQueued} requests wait already
     */
    public Waiting await(Context context, List<String> keys, long millis, int maxQueued, Runnable retry) {
        Waiting waiting = new Waiting(context, keys, retry);
        synchronized (this) {
            if (size >= maxQueued) {
                return null;
            }
            size++;
            for (String key : keys) {
                byKey.computeIfAbsent(key, k -> new ArrayDeque<>()).addLast(waiting);
            }
        }
        long timer = context.owner().setTimer(Math.max(1, millis), id -> waiting.wake());
        // The timer is noted on the waiter's own loop, where it is also cancelled.
        waiting.timer = timer;
        return waiting;
    }

    /** A permit of {@code key} was released: the longest waiter on it tries again. */
    public void released(String key) {
        Waiting first;
        synchronized (this) {
            Deque<Waiting> waiting = byKey.get(key);
            first = waiting == null ? null : waiting.peekFirst();
        }
        if (first != null) {
            first.wake();
        }
    }

    /** Requests waiting now. */
    public synchronized int size() {
        return size;
    }
}
