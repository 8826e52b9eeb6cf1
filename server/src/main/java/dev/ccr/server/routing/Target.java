package dev.ccr.server.routing;

import dev.ccr.server.config.Endpoint;

/**
 * Where one request goes.
 *
 * @param endpoint the upstream
 * @param model the model id the upstream is asked for
 * @param route why this target was chosen ({@code explicit}, {@code default}, …), shown in headers and logs
 */
public record Target(Endpoint endpoint, String model, String route) {}
