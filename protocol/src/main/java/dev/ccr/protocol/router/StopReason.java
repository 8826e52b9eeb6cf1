package dev.ccr.protocol.router;

/** Why a router stops on purpose; an editor whose connection closes without one treats the end as a crash. */
public enum StopReason {
    /**
     * Someone asked it to stop: the user in an editor ({@code router/stop}), {@code ccr stop}, a signal, the service
     * manager. Editors show the router as stopped and do not start another one by themselves.
     */
    STOP_REQUESTED,
    /**
     * An editor with a newer ccr stops this router to start its own: editors attach again (and start one if none
     * answers), without counting a crash.
     */
    REPLACED
}
