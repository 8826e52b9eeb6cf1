package dev.ccr.protocol.claude;

import java.util.List;

/**
 * {@code claude/enable}.
 *
 * @param models model variables to set as well; null sets none (Claude Code then asks for its own model ids, which the
 *     router maps)
 * @param projectDirs as in {@link ClaudeStatusParams#projectDirs()}
 */
public record ClaudeEnableParams(ClaudeModels models, List<String> projectDirs) {}
