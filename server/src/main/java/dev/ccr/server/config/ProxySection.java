package dev.ccr.server.config;

import java.net.URI;
import java.util.function.Function;

/**
 * Resolves {@code proxy} (top level) and {@code endpoints[].proxy} into the proxy each endpoint is reached through.
 * Endpoints on a loopback address never take the top-level proxy: a proxy elsewhere would reach its own loopback
 * instead of this machine's (a local Ollama, say).
 */
final class ProxySection {
    private final Function<String, String> environment;
    private final ConfigProblems problems;

    ProxySection(Function<String, String> environment, ConfigProblems problems) {
        this.environment = environment;
        this.problems = problems;
    }

    /** The top-level proxy, or {@code null} for none (also after recording why the written one is unusable). */
    UpstreamProxy global(String raw, ConfigPath at) {
        if (raw == null) {
            return null;
        }
        if (raw.strip().equals(UpstreamProxy.NONE)) {
            return null;
        }
        return parse(raw, at);
    }

    /** The proxy an endpoint at {@code baseUrl} is reached through, or {@code null} to connect directly. */
    UpstreamProxy forEndpoint(String own, UpstreamProxy global, URI baseUrl, ConfigPath at) {
        if (own != null) {
            return own.strip().equals(UpstreamProxy.NONE) ? null : parse(own, at);
        }
        if (global == null || baseUrl == null || LoopbackHosts.isLoopback(baseUrl.getHost())) {
            return null;
        }
        return global;
    }

    private UpstreamProxy parse(String raw, ConfigPath at) {
        if (raw.isBlank()) {
            problems.error(at, "proxy is empty; expected " + UpstreamProxy.SHAPES + ", or remove it");
            return null;
        }
        // A proxy URL may carry a password, so it is resolved like a secret and never echoed back.
        Secret resolved = Secret.resolve(raw, environment);
        if (resolved.problem().isPresent()) {
            problems.error(
                    at, resolved.problem().get() + "; without it the router cannot reach upstreams through the proxy");
            return null;
        }
        try {
            return UpstreamProxy.parse(resolved.reveal());
        } catch (IllegalArgumentException e) {
            problems.error(at, e.getMessage());
            return null;
        }
    }
}
