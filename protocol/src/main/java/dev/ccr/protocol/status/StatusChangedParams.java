package dev.ccr.protocol.status;

/**
 * {@code status/statusChanged}: the new status, sent by the server after any change to it (never more than once for
 * the same status, and only after {@code initialize} was answered).
 *
 * @param status the complete status; never null
 */
public record StatusChangedParams(ServerStatus status) {}
