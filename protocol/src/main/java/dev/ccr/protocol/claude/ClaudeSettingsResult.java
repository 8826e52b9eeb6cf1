package dev.ccr.protocol.claude;

import java.util.List;

/**
 * The state of Claude Code's settings as far as the router is concerned, after the request's change if any.
 *
 * @param settingsFile the user settings file's absolute path (it may not exist); never null
 * @param enabled whether the router's values are in the user settings file (routing was enabled and not disabled)
 * @param routerBaseUrl the base URL {@code claude/enable} writes: this router's; never null
 * @param keys each key the router manages, with what is set now; never null
 * @param overrides settings files with higher precedence (project, local, managed) that set one of the router's keys,
 *     so Claude Code uses their value there; never null
 * @param changedKeys the keys this request wrote ({@code enable}) or restored ({@code disable}); empty for
 *     {@code status}; never null
 * @param keptUserKeys the keys {@code disable} left alone because the user changed them after {@code enable}; never null
 * @param message one line for the user summarising the outcome and anything to act on; never null
 */
public record ClaudeSettingsResult(
        String settingsFile,
        boolean enabled,
        String routerBaseUrl,
        List<ClaudeKeyInfo> keys,
        List<SettingsOverride> overrides,
        List<String> changedKeys,
        List<String> keptUserKeys,
        String message) {}
