package dev.ccr.protocol.config;

import java.util.List;

/**
 * The verdict of {@code config/validate}.
 *
 * @param valid whether the router would accept the text
 * @param problems why it would not; empty when valid; never null
 * @param warnings what deserves attention even when valid; never null
 */
public record ValidateConfigResult(boolean valid, List<ConfigProblemInfo> problems, List<ConfigProblemInfo> warnings) {}
