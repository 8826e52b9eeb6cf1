package dev.ccr.protocol.config;

/**
 * {@code config/validate}.
 *
 * @param text the complete config text to check; required
 */
public record ValidateConfigParams(String text) {}
