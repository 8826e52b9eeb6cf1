package dev.ccr.server.config;

import java.net.URI;
import java.util.List;
import java.util.Map;

/**
 * An endpoint ready to use: defaults applied, {@code ${ENV}} references resolved, the base URL normalised to carry no
 * trailing slash.
 *
 * @param apiKey the endpoint's key, or {@code null} to forward the client's own key (anthropic endpoints only)
 * @param headers extra headers; values are secrets because users put credentials there too
 * @param provider the well-known API this is (explicit or recognised from the base URL)
 * @param quirks how the translator treats this upstream: the provider preset plus the endpoint's overrides
 * @param weight its share under the weighted strategy, at least 1
 * @param limits how much may be sent to it
 * @param timeouts its timeouts, the top-level ones with its own overrides applied
 * @param proxy the proxy it is reached through, or {@code null} to connect directly
 */
public record Endpoint(
        String name,
        EndpointType type,
        WireFormat format,
        URI baseUrl,
        Secret apiKey,
        Map<String, Secret> headers,
        List<String> models,
        Map<String, String> modelMap,
        Provider provider,
        Quirks quirks,
        int weight,
        EffectiveConfig.RateLimits limits,
        EffectiveConfig.Timeouts timeouts,
        UpstreamProxy proxy) {

    /** The URL of an API path under this endpoint's root, such as {@code /messages}. */
    public String url(String path) {
        return baseUrl + path;
    }

    /** Whether requests and streams pass through untouched. */
    public boolean passesThrough() {
        return format == WireFormat.ANTHROPIC;
    }

    /**
     * Consistent with the record's {@code equals} (equal endpoints have equal names), and cheap: the default hashes
     * every field, keys and limits included, and endpoints key maps on the request path.
     */
    @Override
    public int hashCode() {
        return name.hashCode();
    }
}
