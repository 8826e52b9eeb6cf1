package dev.ccr.protocol.lifecycle;

import dev.ccr.protocol.router.EditorPreferences;
import java.util.List;

/**
 * Sent by the editor as the first request after it starts the server. Until it is answered, every other request fails
 * with {@link dev.ccr.protocol.ErrorCodes#SERVER_NOT_INITIALIZED}.
 *
 * @param protocolVersion the protocol version the editor speaks, {@code MAJOR.MINOR} (see
 *     {@link dev.ccr.protocol.ProtocolVersion}); required. A different major version than the server's fails the
 *     request with {@link dev.ccr.protocol.ErrorCodes#INCOMPATIBLE_PROTOCOL_VERSION}.
 * @param clientName the editor or extension, such as {@code "ccr-vscode"}; shown in the server log; may be null
 * @param clientVersion the editor extension's version; shown in the server log; may be null
 * @param capabilities what the editor supports; null means none of the optional features
 * @param workspaceFolders absolute paths of the folders open in the editor; their {@code .claude/settings*.json} are
 *     checked for values that override the router's. Null or empty: none.
 * @param preferences what the user chose about the router's life beyond the editor; null means the defaults. Since
 *     1.1; a later change arrives as {@code router/preferencesChanged}.
 */
public record InitializeParams(
        String protocolVersion,
        String clientName,
        String clientVersion,
        ClientCapabilities capabilities,
        List<String> workspaceFolders,
        EditorPreferences preferences) {}
