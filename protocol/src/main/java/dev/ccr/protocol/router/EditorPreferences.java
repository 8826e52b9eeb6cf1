package dev.ccr.protocol.router;

/**
 * What an editor's user chose about the router's life beyond the editor.
 *
 * @param whenEditorsClose what happens when the last attached editor has gone, if Claude Code is routed through this
 *     router then; null means {@link WhenEditorsClose#KEEP_SERVING}
 */
public record EditorPreferences(WhenEditorsClose whenEditorsClose) {}
