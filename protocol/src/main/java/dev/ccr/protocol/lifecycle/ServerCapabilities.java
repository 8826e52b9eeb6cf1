package dev.ccr.protocol.lifecycle;

import java.util.List;

/**
 * What this server build offers beyond the methods of its protocol version.
 *
 * @param configSections the top-level keys this server's config file accepts (such as {@code endpoints},
 *     {@code cache}, and {@code routes} or {@code limits} once the router supports them). {@code config/setRoutes} and
 *     {@code config/setLimits} fail with {@link dev.ccr.protocol.ErrorCodes#CONFIG_INVALID} when their section is not
 *     listed. Never null.
 * @param costs whether usage carries costs; when {@code false} every {@code costUsd} field is null (no pricing is
 *     configured in this build)
 */
public record ServerCapabilities(List<String> configSections, boolean costs) {}
