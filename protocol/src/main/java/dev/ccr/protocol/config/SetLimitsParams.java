package dev.ccr.protocol.config;

import com.google.gson.JsonElement;

/**
 * {@code config/setLimits}.
 *
 * @param limits the new {@code limits} section as the config file writes it; null (or JSON {@code null}) removes it
 * @param dryRun only validate: nothing is written or applied
 */
public record SetLimitsParams(JsonElement limits, boolean dryRun) {}
