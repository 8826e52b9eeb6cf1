package dev.ccr.server.config;

import java.util.Map;

/**
 * A validated routing rule. {@code null} conditions are not checked; globs are compiled by the router.
 *
 * @param name shown in {@code x-ccr-route} as {@code rule:<name>}
 */
public record Rule(
        String name,
        String model,
        Map<String, String> headers,
        Integer minTokens,
        Integer maxTokens,
        Boolean tools,
        String tool,
        Boolean thinking,
        Boolean images,
        RouteSpec target) {}
