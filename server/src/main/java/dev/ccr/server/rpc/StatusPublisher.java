package dev.ccr.server.rpc;

import dev.ccr.protocol.status.ServerStatus;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Pushes the status to the editor whenever it changes, and only then. Changes may be reported from any thread (an
 * event loop finishing a request, the config watcher); building and sending happen on one worker, and a burst of
 * changes becomes one look at the status, so the editor is never flooded and an event loop never waits on the pipe.
 */
final class StatusPublisher {
    private final Supplier<ServerStatus> status;
    private final Consumer<ServerStatus> send;
    private final Executor worker;
    private final AtomicBoolean pending = new AtomicBoolean();
    private volatile boolean active;
    private ServerStatus last;

    StatusPublisher(Supplier<ServerStatus> status, Consumer<ServerStatus> send, Executor worker) {
        this.status = status;
        this.send = send;
        this.worker = worker;
    }

    /** Starts publishing, once the editor has {@code initial} (from the answer to {@code initialize}). */
    synchronized void activate(ServerStatus initial) {
        last = initial;
        active = true;
        changed();
    }

    /** Stops publishing: the editor has gone. */
    void deactivate() {
        active = false;
    }

    /** Something the status shows may have changed. */
    void changed() {
        if (active && pending.compareAndSet(false, true)) {
            worker.execute(this::publish);
        }
    }

    private synchronized void publish() {
        pending.set(false);
        if (!active) {
            return;
        }
        ServerStatus now = status.get();
        if (!now.equals(last)) {
            last = now;
            send.accept(now);
        }
    }
}
