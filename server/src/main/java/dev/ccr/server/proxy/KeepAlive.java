package dev.ccr.server.proxy;

import io.vertx.core.Vertx;

/**
 * The clock of a relayed stream: every {@link #INTERVAL_MS} it lets the relay act. Before the relay has committed,
 * a tick means the upstream has answered 200 but produced no content for that long: time to commit and start pinging,
 * since Claude Code's five-minute idle watchdog runs once the stream is open. After, a tick writes a {@code ping} if
 * nothing else went to the client for half an interval.
 */
final class KeepAlive {
    /** Well inside Claude Code's five-minute watchdog, cheap for everyone. */
    static final long INTERVAL_MS = 15_000;

    private final Vertx vertx;
    private long timer = -1;
    private long lastWrite = System.nanoTime();

    KeepAlive(Vertx vertx) {
        this.vertx = vertx;
    }

    void start(Runnable tick) {
        timer = vertx.setPeriodic(INTERVAL_MS, id -> tick.run());
    }

    /** Something went to the client. */
    void wrote() {
        lastWrite = System.nanoTime();
    }

    /** Whether the client has heard nothing for half an interval. */
    boolean quiet() {
        return System.nanoTime() - lastWrite >= INTERVAL_MS * 1_000_000 / 2;
    }

    void stop() {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
            timer = -1;
        }
    }
}
