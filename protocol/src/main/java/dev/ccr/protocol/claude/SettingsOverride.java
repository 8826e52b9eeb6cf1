package dev.ccr.protocol.claude;

/**
 * A settings file that wins over the user settings for one of the router's keys.
 *
 * @param file the file's absolute path; never null
 * @param scope which kind of settings file it is; never {@link SettingsScope#USER}
 * @param key the variable it sets, such as {@code ANTHROPIC_BASE_URL}; never null
 * @param sameAsRouter whether its value is the one the router would write (harmless), as opposed to a different one
 *     that sends Claude Code elsewhere in that project
 */
public record SettingsOverride(String file, SettingsScope scope, String key, boolean sameAsRouter) {}
