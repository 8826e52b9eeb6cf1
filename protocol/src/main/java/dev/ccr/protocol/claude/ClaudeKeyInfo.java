package dev.ccr.protocol.claude;

/**
 * One of the router's keys in the user settings file's {@code env}.
 *
 * @param name the variable, such as {@code ANTHROPIC_BASE_URL}; never null
 * @param state who set the current value; never null
 * @param value the current value; null when {@link KeyState#ABSENT}, and always null for secrets
 *     ({@code ANTHROPIC_AUTH_TOKEN})
 * @param effectiveScope the settings file whose value Claude Code uses in the given project folders, the most
 *     important first; null when no file sets it
 * @param effectiveFile that file's path; null when no file sets it
 */
public record ClaudeKeyInfo(
        String name, KeyState state, String value, SettingsScope effectiveScope, String effectiveFile) {}
