package dev.ccr.server.config;

import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Turns the config as written into the config the router runs with: checks what the schema cannot (references between
 * fields, URLs, the host/token rule), fills in defaults, resolves {@code ${ENV}} references and applies command-line
 * overrides. Each section is checked by its own class; all of them report to one {@link ConfigProblems}, so every
 * problem is collected rather than stopping at the first.
 */
final class ConfigResolver {
    private final ConfigProblems problems = new ConfigProblems();
    private final ListenerSection listenerSection = new ListenerSection(problems);
    private final ResilienceSections resilienceSections = new ResilienceSections(problems);
    private final ProxySection proxySection;
    private final EndpointsSection endpointsSection;
    private final CacheSection cacheSection = new CacheSection(problems);
    private final AuthSection authSection;
    private final RoutesSection routesSection = new RoutesSection(problems);
    private final RulesSection rulesSection = new RulesSection(problems, routesSection);
    private final LogSection logSection = new LogSection(problems);
    private final PricingSection pricingSection = new PricingSection(problems);
    private final SharedSection sharedSection;

    ConfigResolver(Function<String, String> environment) {
        this.proxySection = new ProxySection(environment, problems);
        this.endpointsSection = new EndpointsSection(environment, problems, resilienceSections, proxySection);
        this.authSection = new AuthSection(environment, problems);
        this.sharedSection = new SharedSection(environment, problems);
    }

    List<ConfigProblems.Problem> problems() {
        return problems.errors();
    }

    List<ConfigProblems.Problem> warnings() {
        return problems.warnings();
    }

    /** Problems are found in the order of the statements here, which is the order users see them in. */
    EffectiveConfig resolve(RouterConfig raw, Path file, boolean fromFile, Overrides overrides) {
        ConfigPath root = ConfigPath.ROOT;
        problems.endpointsWritten(
                raw.endpoints() == null
                        ? List.of()
                        : raw.endpoints().stream()
                                .filter(e -> e != null && e.name() != null)
                                .map(EndpointConfig::name)
                                .toList());
        int port = listenerSection.port(raw.port(), overrides.port(), root.key("port"));
        String host = listenerSection.host(raw.host(), overrides.host(), root.key("host"));

        EffectiveConfig.Timeouts timeouts =
                resilienceSections.timeouts(raw.timeouts(), EffectiveConfig.Timeouts.DEFAULTS, root.key("timeouts"));
        UpstreamProxy proxy = proxySection.global(raw.proxy(), root.key("proxy"));
        List<Endpoint> endpoints = endpointsSection.resolve(raw.endpoints(), timeouts, proxy, root.key("endpoints"));
        EffectiveConfig.Cache cache = cacheSection.cache(raw.cache(), root.key("cache"));
        EffectiveConfig.Auth auth = authSection.auth(raw.auth(), root.key("auth"));
        listenerSection.checkExposure(host, auth, root.key("host"));
        long maxBodyBytes = listenerSection.maxBodyBytes(raw.maxBodyMB(), root.key("maxBodyMB"));

        Map<Scenario, RouteSpec> routes = routesSection.routes(raw.routes(), endpoints, root.key("routes"));
        RouteSpec routedDefault = raw.routes() == null
                ? null
                : routesSection.route(
                        raw.routes().defaults(), endpoints, root.key("routes").key("default"));
        String defaultEndpoint = routesSection.defaultEndpoint(raw, endpoints, routedDefault, root);
        RouteSpec defaultRoute = routedDefault != null
                ? routedDefault
                : defaultEndpoint == null ? null : RouteSpec.single(new RouteRef(defaultEndpoint, null));
        List<Rule> rules = rulesSection.rules(raw.rules(), endpoints, root.key("rules"));
        int longContextThreshold =
                routesSection.longContextThreshold(raw.longContextThreshold(), root.key("longContextThreshold"));

        LogLevel logLevel = logSection.level(raw.logLevel(), overrides.debug());
        EffectiveConfig.Log log = logSection.log(raw.log(), overrides.debug(), root.key("log"));
        List<EffectiveConfig.Price> pricing = pricingSection.pricing(raw.pricing(), endpoints, root.key("pricing"));
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
                maxBodyBytes,
                log,
                pricing,
                routes,
                rules,
                longContextThreshold,
                defaultRoute,
                timeouts,
                resilienceSections.retry(raw.retry(), root.key("retry")),
                resilienceSections.breaker(raw.breaker(), root.key("breaker")),
                resilienceSections.limits(
                        raw.limits(),
                        auth.tokens().stream()
                                .map(EffectiveConfig.Token::name)
                                .collect(Collectors.toCollection(LinkedHashSet::new)),
                        root.key("limits")),
                listenerSection.connections(raw.connections(), root.key("connections")),
                sharedSection.resolve(raw.shared(), root.key("shared")));
    }
}
