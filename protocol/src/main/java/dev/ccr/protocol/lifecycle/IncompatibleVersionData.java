package dev.ccr.protocol.lifecycle;

/**
 * The {@code data} of an {@link dev.ccr.protocol.ErrorCodes#INCOMPATIBLE_PROTOCOL_VERSION} error.
 *
 * @param serverProtocolVersion the version the server speaks
 * @param clientProtocolVersion the version the editor asked for, as it was sent (may be null)
 */
public record IncompatibleVersionData(String serverProtocolVersion, String clientProtocolVersion) {}
