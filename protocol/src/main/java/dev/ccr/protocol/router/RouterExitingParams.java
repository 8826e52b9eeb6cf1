package dev.ccr.protocol.router;

/**
 * {@code router/exiting}: sent to every attached editor just before the router closes its connections on purpose.
 *
 * @param reason why it stops; never null
 * @param message what to tell the user, such as {@code "stopped by 'ccr stop'"}; never null
 */
public record RouterExitingParams(StopReason reason, String message) {}
