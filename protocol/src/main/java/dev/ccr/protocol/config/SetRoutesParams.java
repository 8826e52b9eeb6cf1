package dev.ccr.protocol.config;

import com.google.gson.JsonElement;

/**
 * {@code config/setRoutes}.
 *
 * @param routes the new {@code routes} section as the config file writes it; null (or JSON {@code null}) removes it
 * @param dryRun only validate: nothing is written or applied
 */
public record SetRoutesParams(JsonElement routes, boolean dryRun) {}
