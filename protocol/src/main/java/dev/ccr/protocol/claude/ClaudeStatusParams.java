package dev.ccr.protocol.claude;

import java.util.List;

/**
 * {@code claude/status}.
 *
 * @param projectDirs project folders whose {@code .claude/settings.json} and {@code .claude/settings.local.json} are
 *     checked for overrides; null means the workspace folders given in {@code initialize}
 */
public record ClaudeStatusParams(List<String> projectDirs) {}
