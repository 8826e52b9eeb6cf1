package dev.ccr.protocol.status;

/** Whether the HTTP proxy serves requests. */
public enum ProxyState {
    /** The server is binding its port and loading the config. */
    STARTING,
    /** Serving on {@link ServerStatus#baseUrl()}. */
    RUNNING,
    /**
     * Not serving: the port is taken or the config cannot be used. {@link ServerStatus#lastError()} says why; the
     * server tries again when the config changes, and on its own every few seconds to a minute.
     */
    FAILED,
    /** Stopped after {@code shutdown}. */
    STOPPED
}
