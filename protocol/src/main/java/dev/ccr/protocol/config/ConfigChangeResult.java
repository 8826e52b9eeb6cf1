package dev.ccr.protocol.config;

import java.util.List;

/**
 * The outcome of a valid config change (an invalid one fails with {@link dev.ccr.protocol.ErrorCodes#CONFIG_INVALID}
 * instead).
 *
 * @param applied {@code true} when the file was written and the running router uses the change; {@code false} for a
 *     dry run, and when the change left the file as it was
 * @param warnings what deserves attention in the changed config; never null
 */
public record ConfigChangeResult(boolean applied, List<ConfigProblemInfo> warnings) {}
