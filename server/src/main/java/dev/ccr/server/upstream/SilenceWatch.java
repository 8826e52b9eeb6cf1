package dev.ccr.server.upstream;

import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * Notices an upstream that goes silent in the middle of its answer. Vert.x's per-request idle timeout ends when the
 * response head arrives, so a stream that stalls after its status would otherwise hang until the connection's own idle
 * timeout, minutes later. One periodic check a quarter of the limit apart keeps the per-chunk cost to a clock read.
 *
 * <p>Silence the router causes itself, by pausing the upstream while the client reads slowly, does not count.
 */
public final class SilenceWatch {
    private final Vertx vertx;
    private final long limitNanos;
    private final long limitMs;
    private long lastHeard = System.nanoTime();
    private boolean paused;
    private long timer = -1;

    private SilenceWatch(Vertx vertx, Duration limit) {
        this.vertx = vertx;
        this.limitMs = limit.toMillis();
        this.limitNanos = limit.toNanos();
    }

    /**
     * Starts watching; {@code onSilence} gets a {@link TimeoutException} once nothing was heard for {@code limit}
     * (zero: never). Call from the event loop that handles the response.
     */
    public static SilenceWatch start(Vertx vertx, Duration limit, Consumer<TimeoutException> onSilence) {
        SilenceWatch watch = new SilenceWatch(vertx, limit);
        if (!limit.isZero() && !limit.isNegative()) {
            watch.timer = vertx.setPeriodic(Math.max(10, watch.limitMs / 4), id -> {
                if (!watch.paused && System.nanoTime() - watch.lastHeard >= watch.limitNanos) {
                    watch.stop();
                    onSilence.accept(new TimeoutException("no data from the upstream for " + watch.limitMs + " ms"));
                }
            });
        }
        return watch;
    }

    /** Data arrived. */
    public void heard() {
        lastHeard = System.nanoTime();
    }

    /** The router paused (true) or resumed (false) reading the upstream. */
    public void paused(boolean paused) {
        this.paused = paused;
        lastHeard = System.nanoTime();
    }

    public void stop() {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
            timer = -1;
        }
    }
}
