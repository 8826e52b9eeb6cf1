package dev.ccr.protocol.claude;

import java.util.List;

/**
 * {@code claude/disable}.
 *
 * @param projectDirs as in {@link ClaudeStatusParams#projectDirs()}
 */
public record ClaudeDisableParams(List<String> projectDirs) {}
