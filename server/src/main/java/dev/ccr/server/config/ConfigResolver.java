package dev.ccr.server.config;

import static dev.ccr.server.config.ConfigProblems.orDefault;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Turns the config as written into the config the router runs with: checks what the schema cannot (references between
 * fields, URLs, the host/token rule), fills in defaults, resolves {@code ${ENV}} references and applies command-line
 * overrides. Collects every problem rather than stopping at the first.
 */
final class ConfigResolver {
    private static final Pattern ENDPOINT_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
    private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
    private static final Set<String> FORBIDDEN_HEADERS =
            Set.of("host", "content-length", "transfer-encoding", "connection", "upgrade", "te", "trailer");
    private static final int MIN_TOKEN_LENGTH = 8;

    private final Function<String, String> environment;
    private final ConfigProblems problems = new ConfigProblems();
    private final ResilienceSections resilience = new ResilienceSections(problems);
    private final ProxySection proxies;
    private final SharedSection shared;

    ConfigResolver(Function<String, String> environment) {
        this.environment = environment;
        this.proxies = new ProxySection(environment, problems);
        this.shared = new SharedSection(environment, problems);
    }

    List<ConfigProblems.Problem> problems() {
        return problems.errors();
    }

    List<ConfigProblems.Problem> warnings() {
        return problems.warnings();
    }

    EffectiveConfig resolve(RouterConfig raw, Path file, boolean fromFile, Overrides overrides) {
        ConfigPath root = ConfigPath.ROOT;

        int port = overrides.port() != null ? overrides.port() : orDefault(raw.port(), EffectiveConfig.DEFAULT_PORT);
        if (port < 0 || port > 65535) {
            problems.error(root.key("port"), "port " + port + " is out of range; allowed: 0 to 65535");
        }
        String host = overrides.host() != null ? overrides.host() : orDefault(raw.host(), EffectiveConfig.DEFAULT_HOST);
        if (host.isBlank()) {
            problems.error(root.key("host"), "host must not be empty; use 127.0.0.1 for local use");
        }

        EffectiveConfig.Timeouts timeouts =
                resilience.timeouts(raw.timeouts(), EffectiveConfig.Timeouts.DEFAULTS, root.key("timeouts"));
        UpstreamProxy proxy = proxies.global(raw.proxy(), root.key("proxy"));
        List<Endpoint> endpoints = endpoints(raw.endpoints(), timeouts, proxy, root.key("endpoints"));
        EffectiveConfig.Cache cache = cache(raw.cache(), root.key("cache"));
        EffectiveConfig.Auth auth = auth(raw.auth(), root.key("auth"));

        if (!host.isBlank() && !isLoopback(host) && !auth.requiresToken()) {
            problems.error(
                    root.key("host"),
                    "binding " + host + " exposes the router beyond this machine; add a router token under"
                            + " auth.tokens first, or bind 127.0.0.1");
        }

        int maxBodyMb = orDefault(raw.maxBodyMB(), EffectiveConfig.DEFAULT_MAX_BODY_MB);
        if (maxBodyMb < 1 || maxBodyMb > 1024) {
            problems.error(root.key("maxBodyMB"), "maxBodyMB must be between 1 and 1024, got " + maxBodyMb);
        }

        Map<Scenario, RouteSpec> routes = routes(raw.routes(), endpoints, root.key("routes"));
        RouteSpec routedDefault = raw.routes() == null
                ? null
                : route(raw.routes().defaults(), endpoints, root.key("routes").key("default"));
        String defaultEndpoint = defaultEndpoint(raw, endpoints, routedDefault, root);
        RouteSpec defaultRoute = routedDefault != null
                ? routedDefault
                : defaultEndpoint == null ? null : RouteSpec.single(new RouteRef(defaultEndpoint, null));
        List<Rule> rules = rules(raw.rules(), endpoints, root.key("rules"));
        int longContextThreshold =
                orDefault(raw.longContextThreshold(), EffectiveConfig.DEFAULT_LONG_CONTEXT_THRESHOLD);
        if (longContextThreshold < 1) {
            problems.error(
                    root.key("longContextThreshold"),
                    "longContextThreshold is a token count and must be at least 1, got " + longContextThreshold);
        }

        LogLevel logLevel = overrides.debug() ? LogLevel.DEBUG : orDefault(raw.logLevel(), LogLevel.INFO);
        EffectiveConfig.Log log = log(raw.log(), overrides.debug(), root.key("log"));
        List<EffectiveConfig.Price> pricing = pricing(raw.pricing(), endpoints, root.key("pricing"));
        return new EffectiveConfig(
                file,
                fromFile,
                port,
                host,
                logLevel,
                endpoints,
                defaultEndpoint,
                cache,
                auth,
                maxBodyMb * 1024L * 1024L,
                log,
                pricing,
                routes,
                rules,
                longContextThreshold,
                defaultRoute,
                timeouts,
                resilience.retry(raw.retry(), root.key("retry")),
                resilience.breaker(raw.breaker(), root.key("breaker")),
                resilience.limits(
                        raw.limits(),
                        auth.tokens().stream()
                                .map(EffectiveConfig.Token::name)
                                .collect(java.util.stream.Collectors.toCollection(LinkedHashSet::new)),
                        root.key("limits")),
                connections(raw.connections(), root.key("connections")),
                shared.resolve(raw.shared(), root.key("shared")));
    }

    private EffectiveConfig.Connections connections(ConnectionsConfig raw, ConfigPath at) {
        EffectiveConfig.Connections d = EffectiveConfig.Connections.DEFAULTS;
        if (raw == null) {
            return d;
        }
        int day = 86_400_000;
        return new EffectiveConfig.Connections(
                Duration.ofMillis(problems.inRange(
                        raw.headerTimeoutMs(), (int) d.headerTimeout().toMillis(), 1, day, at.key("headerTimeoutMs"))),
                Duration.ofMillis(problems.inRange(
                        raw.bodyIdleTimeoutMs(),
                        (int) d.bodyIdleTimeout().toMillis(),
                        1,
                        day,
                        at.key("bodyIdleTimeoutMs"))),
                Duration.ofMillis(problems.inRange(
                        raw.idleTimeoutMs(), (int) d.idleTimeout().toMillis(), 1, day, at.key("idleTimeoutMs"))),
                problems.inRange(raw.maxOpen(), d.maxOpen(), 1, 1_000_000, at.key("maxOpen")));
    }

    private EffectiveConfig.Log log(LogConfig raw, boolean debug, ConfigPath at) {
        EffectiveConfig.Log defaults = EffectiveConfig.Log.DEFAULTS;
        if (raw == null) {
            return debug ? withBodies(defaults) : defaults;
        }
        int maxBodyKb =
                problems.inRange(raw.maxBodyKB(), defaults.maxBodyBytes() / 1024, 1, 10_240, at.key("maxBodyKB"));
        int maxFileMb =
                problems.inRange(raw.maxFileMB(), (int) (defaults.maxFileBytes() >> 20), 1, 1024, at.key("maxFileMB"));
        int maxFiles = problems.inRange(raw.maxFiles(), defaults.maxFiles(), 1, 1000, at.key("maxFiles"));
        int retentionDays = problems.inRange(
                raw.retentionDays(), (int) defaults.retention().toDays(), 1, 3650, at.key("retentionDays"));
        int usageDays = problems.inRange(
                raw.usageRetentionDays(),
                (int) defaults.usageRetention().toDays(),
                1,
                3650,
                at.key("usageRetentionDays"));
        return new EffectiveConfig.Log(
                !Boolean.FALSE.equals(raw.requests()),
                debug || Boolean.TRUE.equals(raw.bodies()),
                maxBodyKb * 1024,
                maxFileMb * 1024L * 1024L,
                maxFiles,
                Duration.ofDays(retentionDays),
                Duration.ofDays(usageDays));
    }

    private static EffectiveConfig.Log withBodies(EffectiveConfig.Log log) {
        return new EffectiveConfig.Log(
                log.requests(),
                true,
                log.maxBodyBytes(),
                log.maxFileBytes(),
                log.maxFiles(),
                log.retention(),
                log.usageRetention());
    }

    /** Keys are {@code model-glob} or {@code endpoint,model-glob}; input and output prices are required. */
    private List<EffectiveConfig.Price> pricing(Map<String, PriceConfig> raw, List<Endpoint> endpoints, ConfigPath at) {
        if (raw == null) {
            return List.of();
        }
        List<EffectiveConfig.Price> prices = new ArrayList<>();
        raw.forEach((key, price) -> {
            ConfigPath here = at.key(key);
            int comma = key.indexOf(',');
            String endpoint = comma < 0 ? null : key.substring(0, comma).strip();
            String model = (comma < 0 ? key : key.substring(comma + 1)).strip();
            if (model.isEmpty()) {
                problems.error(here, "the key needs a model id or glob, e.g. \"glm-4.6\" or \"ollama,*\"");
                return;
            }
            if (endpoint != null && endpoints.stream().noneMatch(e -> e.name().equals(endpoint))) {
                problems.noEndpointNamed(
                        here, endpoint, endpoints.stream().map(Endpoint::name).toList());
                return;
            }
            if (price == null || price.input() == null || price.output() == null) {
                problems.error(here, "input and output prices are required (US dollars per million tokens)");
                return;
            }
            int before = problems.errorCount();
            double input = price(price.input(), here.key("input"));
            double output = price(price.output(), here.key("output"));
            double cacheWrite = price.cacheWrite() == null ? input : price(price.cacheWrite(), here.key("cacheWrite"));
            double cacheRead = price.cacheRead() == null ? input : price(price.cacheRead(), here.key("cacheRead"));
            if (problems.errorCount() == before) {
                prices.add(new EffectiveConfig.Price(endpoint, model, input, output, cacheWrite, cacheRead));
            }
        });
        return List.copyOf(prices);
    }

    private double price(double value, ConfigPath at) {
        if (!Double.isFinite(value) || value < 0) {
            problems.error(at, "a price must be a number of dollars per million tokens, 0 or more");
        }
        return value;
    }

    private List<Endpoint> endpoints(
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
                java.util.Collections.unmodifiableMap(new LinkedHashMap<>(modelMap)),
                provider,
                provider.preset().with(config.quirks()),
                weight,
                limits,
                ownTimeouts,
                proxy);
    }

    private Map<Scenario, RouteSpec> routes(RoutesConfig raw, List<Endpoint> endpoints, ConfigPath at) {
        if (raw == null) {
            return Map.of();
        }
        Map<Scenario, RouteConfig> written = new java.util.EnumMap<>(Scenario.class);
        written.put(Scenario.BACKGROUND, raw.background());
        written.put(Scenario.THINK, raw.think());
        written.put(Scenario.LONG_CONTEXT, raw.longContext());
        written.put(Scenario.WEB_SEARCH, raw.webSearch());
        written.put(Scenario.IMAGE, raw.image());
        written.put(Scenario.SUBAGENT, raw.subagent());
        written.put(Scenario.COMPACTION, raw.compaction());
        Map<Scenario, RouteSpec> routes = new java.util.EnumMap<>(Scenario.class);
        written.forEach((scenario, route) -> {
            RouteSpec spec = route(route, endpoints, at.key(scenario.configName()));
            if (spec != null) {
                routes.put(scenario, spec);
            }
        });
        return java.util.Collections.unmodifiableMap(routes);
    }

    private List<Rule> rules(List<RuleConfig> raw, List<Endpoint> endpoints, ConfigPath at) {
        if (raw == null) {
            return List.of();
        }
        List<Rule> rules = new ArrayList<>();
        for (int i = 0; i < raw.size(); i++) {
            RuleConfig rule = raw.get(i);
            ConfigPath here = at.index(i);
            if (rule == null) {
                problems.error(here, "a rule must be an object, not null");
                continue;
            }
            if (rule.target() == null) {
                problems.error(
                        here,
                        "target is required: where matching requests go, as \"endpoint,model\" or" + " \"endpoint\"");
                continue;
            }
            RouteSpec target = route(rule.target(), endpoints, here.key("target"));
            checkGlob(rule.model(), here.key("model"));
            checkGlob(rule.tool(), here.key("tool"));
            Map<String, String> headers = new LinkedHashMap<>();
            if (rule.headers() != null) {
                rule.headers().forEach((name, glob) -> {
                    if (!HEADER_NAME.matcher(name).matches()) {
                        problems.error(here.key("headers").key(name), "\"" + name + "\" is not a valid header name");
                    } else if (glob == null || glob.isEmpty()) {
                        problems.error(
                                here.key("headers").key(name),
                                "a header condition needs a value glob; use \"*\" for \"present\"");
                    } else {
                        headers.put(name.toLowerCase(Locale.ROOT), glob);
                    }
                });
            }
            if (rule.minTokens() != null && rule.minTokens() < 0) {
                problems.error(here.key("minTokens"), "minTokens must not be negative");
            }
            if (rule.maxTokens() != null && rule.maxTokens() < 0) {
                problems.error(here.key("maxTokens"), "maxTokens must not be negative");
            }
            if (rule.minTokens() != null && rule.maxTokens() != null && rule.minTokens() > rule.maxTokens()) {
                problems.error(
                        here.key("maxTokens"),
                        "maxTokens (" + rule.maxTokens() + ") is below minTokens (" + rule.minTokens()
                                + "); no request could match");
            }
            boolean conditional = rule.model() != null
                    || !headers.isEmpty()
                    || rule.minTokens() != null
                    || rule.maxTokens() != null
                    || rule.tools() != null
                    || rule.tool() != null
                    || rule.thinking() != null
                    || rule.images() != null;
            if (!conditional) {
                problems.warn(
                        here, "this rule has no condition, so it matches every request and later rules never apply");
            }
            if (target != null) {
                String name = rule.name() == null || rule.name().isBlank() ? "rule[" + i + "]" : rule.name();
                rules.add(new Rule(
                        name,
                        rule.model(),
                        Map.copyOf(headers),
                        rule.minTokens(),
                        rule.maxTokens(),
                        rule.tools(),
                        rule.tool(),
                        rule.thinking(),
                        rule.images(),
                        target));
            }
        }
        return List.copyOf(rules);
    }

    private void checkGlob(String glob, ConfigPath at) {
        if (glob != null && glob.isBlank()) {
            problems.error(at, "a glob must not be empty; remove the condition to match anything");
        }
    }

    /** A route whose every target names a configured endpoint, or {@code null} after recording why not. */
    private RouteSpec route(RouteConfig raw, List<Endpoint> endpoints, ConfigPath at) {
        if (raw == null) {
            return null;
        }
        if (raw.targets() == null || raw.targets().isEmpty()) {
            problems.error(
                    raw.form() == RouteConfig.Form.OBJECT ? at.key("targets") : at,
                    "a route needs at least one target: " + RouteConfig.SHAPES);
            return null;
        }
        int before = problems.errorCount();
        List<RouteRef> targets = new ArrayList<>();
        for (int i = 0; i < raw.targets().size(); i++) {
            ConfigPath here = raw.targetPath(at, i);
            RouteRef ref = routeRef(raw.targets().get(i), endpoints, here);
            if (ref != null) {
                if (targets.contains(ref)) {
                    problems.error(here, "\"" + ref + "\" is listed twice in this route");
                }
                targets.add(ref);
            }
        }
        Strategy strategy = raw.strategy() == null ? Strategy.FAILOVER : raw.strategy();
        if (raw.strategy() != null && targets.size() == 1 && problems.errorCount() == before) {
            problems.warn(at.key("strategy"), "a strategy has no effect on a route with one target");
        }
        return problems.errorCount() > before ? null : new RouteSpec(targets, strategy);
    }

    /** A route target that names a configured endpoint, or {@code null} after recording why not. */
    private RouteRef routeRef(String text, List<Endpoint> endpoints, ConfigPath at) {
        if (text == null) {
            problems.error(at, "expected \"endpoint,model\" or \"endpoint\", got null");
            return null;
        }
        RouteRef ref = RouteRef.parse(text);
        if (ref == null || ref.endpoint().isEmpty()) {
            problems.error(at, "expected \"endpoint,model\" or \"endpoint\", got \"" + text + "\"");
            return null;
        }
        boolean known = endpoints.stream().anyMatch(e -> e.name().equals(ref.endpoint()));
        if (!known) {
            problems.noEndpointNamed(
                    at, ref.endpoint(), endpoints.stream().map(Endpoint::name).toList());
            return null;
        }
        return ref;
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

    private String defaultEndpoint(RouterConfig raw, List<Endpoint> endpoints, RouteSpec routed, ConfigPath root) {
        if (raw.defaultEndpoint() == null) {
            return routed != null
                    ? routed.firstEndpoint()
                    : endpoints.isEmpty() ? null : endpoints.get(0).name();
        }
        if (routed != null
                && routed.targets().stream().noneMatch(t -> t.endpoint().equals(raw.defaultEndpoint()))) {
            problems.error(
                    root.key("defaultEndpoint"),
                    "defaultEndpoint \"" + raw.defaultEndpoint() + "\" is not a target of routes.default, which"
                            + " decides the default route; remove defaultEndpoint or add it to routes.default");
        }
        boolean known = endpoints.stream().anyMatch(e -> e.name().equals(raw.defaultEndpoint()));
        if (!known && raw.endpoints() != null && !raw.endpoints().isEmpty()) {
            problems.noEndpointNamed(
                    root.key("defaultEndpoint"),
                    raw.defaultEndpoint(),
                    raw.endpoints().stream()
                            .filter(e -> e != null && e.name() != null)
                            .map(EndpointConfig::name)
                            .toList());
        }
        return raw.defaultEndpoint();
    }

    private EffectiveConfig.Cache cache(CacheConfig raw, ConfigPath at) {
        if (raw == null) {
            return new EffectiveConfig.Cache(
                    false, EffectiveConfig.DEFAULT_CACHE_TTL, EffectiveConfig.DEFAULT_CACHE_BYTES);
        }
        int ttl = orDefault(raw.ttl(), (int) EffectiveConfig.DEFAULT_CACHE_TTL.toSeconds());
        if (ttl < 1) {
            problems.error(at.key("ttl"), "ttl is in seconds and must be at least 1, got " + ttl);
        }
        int maxMb = problems.inRange(
                raw.maxSizeMB(), (int) (EffectiveConfig.DEFAULT_CACHE_BYTES >> 20), 1, 16_384, at.key("maxSizeMB"));
        return new EffectiveConfig.Cache(
                Boolean.TRUE.equals(raw.enabled()), Duration.ofSeconds(Math.max(ttl, 1)), (long) maxMb << 20);
    }

    private EffectiveConfig.Auth auth(AuthConfig raw, ConfigPath at) {
        if (raw == null) {
            return new EffectiveConfig.Auth(List.of(), true, Set.of(), Set.of());
        }
        List<EffectiveConfig.Token> tokens = new ArrayList<>();
        Set<String> names = new HashSet<>();
        List<RouterToken> rawTokens = raw.tokens() == null ? List.of() : raw.tokens();
        for (int i = 0; i < rawTokens.size(); i++) {
            RouterToken token = rawTokens.get(i);
            ConfigPath here = at.key("tokens").index(i);
            if (token == null || token.name() == null || token.name().isBlank()) {
                problems.error(here, "a token needs a name (shown in logs instead of the secret)");
                continue;
            }
            if (!names.add(token.name())) {
                problems.error(here.key("name"), "another token is already named \"" + token.name() + "\"");
            }
            if (token.token() == null) {
                problems.error(here, "token is required");
                continue;
            }
            Secret secret = Secret.resolve(token.token(), environment);
            if (secret.problem().isPresent()) {
                problems.error(here.key("token"), secret.problem().get());
            } else if (secret.reveal().length() < MIN_TOKEN_LENGTH) {
                problems.error(here.key("token"), "a router token needs at least " + MIN_TOKEN_LENGTH + " characters");
            } else if (secret.reveal().startsWith("ccr:")) {
                problems.error(here.key("token"), "write the token without the ccr: prefix; clients may add it");
            } else {
                tokens.add(new EffectiveConfig.Token(token.name(), secret));
            }
        }
        boolean allowClientKeys = raw.allowClientKeys() != null ? raw.allowClientKeys() : tokens.isEmpty();
        Set<String> hosts = new LinkedHashSet<>();
        if (raw.allowedHosts() != null) {
            raw.allowedHosts().forEach(h -> hosts.add(h.toLowerCase(Locale.ROOT)));
        }
        Set<String> origins = new LinkedHashSet<>();
        if (raw.allowedOrigins() != null) {
            origins.addAll(raw.allowedOrigins());
        }
        return new EffectiveConfig.Auth(List.copyOf(tokens), allowClientKeys, Set.copyOf(hosts), Set.copyOf(origins));
    }

    /** Loopback without a DNS lookup for names, which could hang or be spoofed. */
    static boolean isLoopback(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.equals("localhost") || h.endsWith(".localhost")) {
            return true;
        }
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        if (!h.matches("[0-9.]+") && !h.contains(":")) {
            return false;
        }
        try {
            return InetAddress.getByName(h).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
