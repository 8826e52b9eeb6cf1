package dev.ccr.protocol.router;

/**
 * {@code router/preferencesChanged}.
 *
 * @param preferences the editor's preferences now, all of them; never null
 */
public record PreferencesChangedParams(EditorPreferences preferences) {}
