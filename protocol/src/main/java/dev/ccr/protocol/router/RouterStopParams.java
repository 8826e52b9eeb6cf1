package dev.ccr.protocol.router;

/**
 * {@code router/stop}.
 *
 * @param reason why, passed on to every attached editor in {@code router/exiting}; null means
 *     {@link StopReason#STOP_REQUESTED}
 */
public record RouterStopParams(StopReason reason) {}
