package dev.ccr.protocol.config;

import java.util.List;

/**
 * The {@code data} of {@link dev.ccr.protocol.ErrorCodes#CONFIG_INVALID} and
 * {@link dev.ccr.protocol.ErrorCodes#CONFIG_UNREADABLE} errors.
 *
 * @param problems every problem found, in file order; never empty
 */
public record ConfigProblemsData(List<ConfigProblemInfo> problems) {}
