package dev.ccr.server.config;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;
import java.util.Map;

/**
 * The config file as written. Every field is optional; {@link EffectiveConfig} applies defaults and command-line
 * overrides. This type is also the source of the published JSON Schema, so its descriptions are what users read in
 * their editor.
 */
@JsonClassDescription("ccr (Claude Code Router) configuration: ~/.claude-code-router/config.json")
public record RouterConfig(
        @JsonPropertyDescription("JSON Schema reference for editors; ignored by the router.") String $schema,
        @JsonPropertyDescription("Port to listen on (default 3000).") Integer port,
        @JsonPropertyDescription("Address to bind (default 127.0.0.1). Anything but loopback requires auth.tokens.")
                String host,
        @JsonPropertyDescription("Application log level (default info).") LogLevel logLevel,
        @JsonPropertyDescription("Upstream APIs.") List<EndpointConfig> endpoints,
        @JsonPropertyDescription("Endpoint used when no rule or route picks another (default: the first endpoint).")
                String defaultEndpoint,
        @JsonPropertyDescription("Response cache.") CacheConfig cache,
        @JsonPropertyDescription("Access control.") AuthConfig auth,
        @JsonPropertyDescription("Largest request body accepted, in MiB (default 32).") Integer maxBodyMB,
        @JsonPropertyDescription("Request log and usage history.") LogConfig log,
        @JsonPropertyDescription("Prices that override or extend the built-in table, keyed by model id or glob"
                        + " (claude-sonnet-*) or by endpoint,model (glm,glm-4.6; ollama,* for a free local"
                        + " endpoint). Used for the costs in the request log, ccr stats and /metrics.")
                Map<String, PriceConfig> pricing,
        @JsonPropertyDescription("Scenario routing: compaction, longContext, image, webSearch, subagent, background,"
                        + " think, default.")
                RoutesConfig routes,
        @JsonPropertyDescription("Routing rules, tried in order before the scenario routes.") List<RuleConfig> rules,
        @JsonPropertyDescription("Estimated input tokens above which routes.longContext applies (default 60000).")
                Integer longContextThreshold,
        @JsonPropertyDescription("Upstream timeouts; each endpoint may override them.") TimeoutsConfig timeouts,
        @JsonPropertyDescription("Retries and failover before the answer starts.") RetryConfig retry,
        @JsonPropertyDescription("The circuit breaker each endpoint has.") BreakerConfig breaker,
        @JsonPropertyDescription("Rate limits, concurrency and daily budgets per client (router token).")
                LimitsConfig limits,
        @JsonPropertyDescription("Proxy for upstream requests: http://host:port (https:// upstreams are reached"
                        + " through a CONNECT tunnel), socks5://host:port or socks4://host:port, optionally with"
                        + " user:password@; ${ENV_NAME} reads an environment variable. Endpoints on a loopback address"
                        + " are always reached directly; an endpoint's own 'proxy' overrides this one.")
                String proxy,
        @JsonPropertyDescription("Deadlines and a cap for client connections to the router.")
                ConnectionsConfig connections,
        @JsonPropertyDescription("Team mode: instances that share limits, budgets, breakers and the response cache"
                        + " through Redis (docs/TEAM.md).")
                SharedConfig shared) {}
