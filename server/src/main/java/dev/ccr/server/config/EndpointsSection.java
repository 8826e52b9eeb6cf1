package dev.ccr.server.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Checks and resolves {@code endpoints}: names, types, base URLs, keys, headers, model maps and quirks, with each
 * endpoint's own timeouts, limits and proxy. Resolved before the sections that name endpoints (routes, rules,
 * pricing). An unset {@code ${ENV}} key or header is a warning, not an error: the router starts, and only requests to
 * that endpoint fail until it is set.
 */
final class EndpointsSection {
    private static final Pattern ENDPOINT_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
    /** An HTTP header name (RFC 9110 token); rules match on headers too. */
    static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

    private static final Set<String> FORBIDDEN_HEADERS =
            Set.of("host", "content-length", "transfer-encoding", "connection", "upgrade", "te", "trailer");

    private final Function<String, String> environment;
    private final ConfigProblems problems;
    private final ResilienceSections resilience;
    private final ProxySection proxies;

    EndpointsSection(
            Function<String, String> environment,
            ConfigProblems problems,
            ResilienceSections resilience,
            ProxySection proxies) {
        this.environment = environment;
        this.problems = problems;
        this.resilience = resilience;
        this.proxies = proxies;
    }

    List<Endpoint> resolve(
            List<EndpointConfig> raw, EffectiveConfig.Timeouts timeouts, UpstreamProxy proxy, ConfigPath at) {
        if (raw == null || raw.isEmpty()) {
            problems.error(
                    at,
                    "at least one endpoint is required, e.g. {\"name\": \"anthropic\", \"type\": \"anthropic\","
                            + " \"baseUrl\": \"https://api.anthropic.com/v1\"}");
            return List.of();
        }
        List<Endpoint> endpoints = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < raw.size(); i++) {
            EndpointConfig config = raw.get(i);
            ConfigPath here = at.index(i);
            if (config == null) {
                problems.error(here, "an endpoint must be an object, not null");
                continue;
            }
            Endpoint endpoint = endpoint(config, timeouts, proxy, here);
            if (endpoint != null) {
                if (!names.add(endpoint.name())) {
                    problems.error(here.key("name"), "another endpoint is already named \"" + endpoint.name() + "\"");
                }
                endpoints.add(endpoint);
            }
        }
        return List.copyOf(endpoints);
    }

    private Endpoint endpoint(
            EndpointConfig config, EffectiveConfig.Timeouts timeouts, UpstreamProxy globalProxy, ConfigPath at) {
        int before = problems.errorCount();
        String name = config.name();
        if (name == null || name.isBlank()) {
            problems.error(at, "name is required");
        } else if (!ENDPOINT_NAME.matcher(name).matches()) {
            problems.error(
                    at.key("name"),
                    "\"" + name + "\" is not a valid endpoint name; allowed: letters, digits, '.', '_' and '-'"
                            + " (no commas or spaces: names appear in 'endpoint,model' ids)");
        }
        if (config.type() == null) {
            problems.error(at, "type is required; allowed: anthropic, openai, gemini, custom");
        }
        if (config.format() != null && config.type() != null && config.type() != EndpointType.CUSTOM) {
            problems.error(
                    at.key("format"),
                    "format applies only to custom endpoints; " + config.type().wireName()
                            + " endpoints always speak their own format");
        }
        URI baseUrl = baseUrl(config.baseUrl(), at);
        Secret apiKey = null;
        if (config.apiKey() != null) {
            apiKey = Secret.resolve(config.apiKey(), environment);
            if (config.apiKey().isEmpty()) {
                problems.error(at.key("apiKey"), "apiKey is empty; remove it to forward the client's key");
            }
            apiKey.problem()
                    .ifPresent(why -> problems.warn(
                            at.key("apiKey"), why + "; requests to endpoint \"" + name + "\" will fail until it is"));
        }
        Map<String, Secret> headers = headers(config.headers(), at.key("headers"));
        Map<String, String> modelMap = config.modelMap() == null ? Map.of() : config.modelMap();
        modelMap.forEach((pattern, model) -> {
            if (model == null || model.isBlank()) {
                problems.error(at.key("modelMap").key(pattern), "the target model must not be empty");
            }
        });
        if (config.quirks() != null && config.quirks().reasoningModels() != null) {
            List<String> globs = config.quirks().reasoningModels();
            for (int i = 0; i < globs.size(); i++) {
                if (globs.get(i) == null || globs.get(i).isBlank()) {
                    problems.error(
                            at.key("quirks").key("reasoningModels").index(i),
                            "a model glob must not be empty; use \"*\" for every model");
                }
            }
        }
        if (config.quirks() != null
                && config.quirks().maxOutputTokens() != null
                && config.quirks().maxOutputTokens() < 1) {
            problems.error(
                    at.key("quirks").key("maxOutputTokens"),
                    "maxOutputTokens must be at least 1; remove it for no limit");
        }
        if (config.quirks() != null && config.type() != null && config.wireFormat() == WireFormat.ANTHROPIC) {
            problems.warn(
                    at.key("quirks"), "quirks apply to translated endpoints only; this one passes requests through");
        }
        int weight = resilience.weight(config.weight(), at.key("weight"));
        EffectiveConfig.RateLimits limits = resilience.endpointLimits(config, at);
        EffectiveConfig.Timeouts ownTimeouts = resilience.timeouts(config.timeouts(), timeouts, at.key("timeouts"));
        UpstreamProxy proxy = proxies.forEndpoint(config.proxy(), globalProxy, baseUrl, at.key("proxy"));
        if (problems.errorCount() > before) {
            return null;
        }
        Provider provider = config.provider() != null ? config.provider() : Provider.detect(config.type(), baseUrl);
        return new Endpoint(
                name,
                config.type(),
                config.wireFormat(),
                baseUrl,
                apiKey,
                headers,
                config.models() == null ? List.of() : List.copyOf(config.models()),
                Collections.unmodifiableMap(new LinkedHashMap<>(modelMap)),
                provider,
                provider.preset().with(config.quirks()),
                weight,
                limits,
                ownTimeouts,
                proxy);
    }

    private URI baseUrl(String raw, ConfigPath at) {
        if (raw == null || raw.isBlank()) {
            problems.error(at, "baseUrl is required, e.g. \"https://api.anthropic.com/v1\"");
            return null;
        }
        String trimmed = raw.strip();
        while (trimmed.endsWith("/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        try {
            URI uri = new URI(trimmed);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https")) {
                problems.error(at.key("baseUrl"), "\"" + raw + "\" is not an http:// or https:// URL");
                return null;
            }
            if (uri.getHost() == null) {
                problems.error(at.key("baseUrl"), "\"" + raw + "\" has no host name");
                return null;
            }
            if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
                problems.error(at.key("baseUrl"), "baseUrl must not contain a query or fragment; put keys in apiKey");
                return null;
            }
            if (uri.getRawUserInfo() != null) {
                problems.error(at.key("baseUrl"), "baseUrl must not contain credentials; put the key in apiKey");
                return null;
            }
            return uri;
        } catch (URISyntaxException e) {
            problems.error(at.key("baseUrl"), "\"" + raw + "\" is not a valid URL: " + e.getReason());
            return null;
        }
    }

    private Map<String, Secret> headers(Map<String, String> raw, ConfigPath at) {
        if (raw == null) {
            return Map.of();
        }
        Map<String, Secret> headers = new LinkedHashMap<>();
        raw.forEach((name, value) -> {
            if (!HEADER_NAME.matcher(name).matches()) {
                problems.error(at.key(name), "\"" + name + "\" is not a valid header name");
            } else if (FORBIDDEN_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
                problems.error(at.key(name), "the router sets " + name + " itself; remove it");
            } else if (value == null) {
                problems.error(at.key(name), "a header value must be a string");
            } else {
                Secret secret = Secret.resolve(value, environment);
                secret.problem().ifPresent(why -> problems.warn(at.key(name), why));
                headers.put(name, secret);
            }
        });
        return Map.copyOf(headers);
    }
}
