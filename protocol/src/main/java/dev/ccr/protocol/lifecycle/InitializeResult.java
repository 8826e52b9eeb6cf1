package dev.ccr.protocol.lifecycle;

import dev.ccr.protocol.status.ServerStatus;

/**
 * The server's answer to {@code initialize}.
 *
 * @param protocolVersion the protocol version the server speaks, {@code MAJOR.MINOR}; never null
 * @param serverVersion the ccr build, such as {@code "0.1.0"}; never null
 * @param processId the server's process id, for the editor's log and to kill a server that does not exit
 * @param capabilities what this server offers beyond the base protocol; never null
 * @param status the status at this moment; every later change arrives as {@code status/statusChanged}; never null
 */
public record InitializeResult(
        String protocolVersion,
        String serverVersion,
        long processId,
        ServerCapabilities capabilities,
        ServerStatus status) {}
