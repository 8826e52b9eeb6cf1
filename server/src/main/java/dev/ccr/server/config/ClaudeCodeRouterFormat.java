package dev.ccr.server.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;

/**
 * claude-code-router's config format (musistudio/claude-code-router, versions 1 and 2), which keeps its file where
 * ccr keeps its own, {@code ~/.claude-code-router/config.json}, read as the ccr config with the same effect:
 *
 * <pre>
 * Providers[]                 endpoints[] (see {@link ClaudeCodeRouterProvider}, {@link ClaudeCodeRouterTransformers})
 * Router.default, background, think, longContext, webSearch, image
 *                             routes.* ("provider,model", or "provider,model,effort"); fallback.* become failover
 *                             (see {@link ClaudeCodeRouterRoutes})
 * Router.longContextThreshold longContextThreshold
 * APIKEY                      auth.tokens (a router token named APIKEY)
 * HOST, PORT                  host (127.0.0.1 without APIKEY, as there), port (default 3456, as there)
 * API_TIMEOUT_MS              timeouts.firstByteMs
 * PROXY_URL                   proxy (also HTTPS_PROXY, https_proxy, httpsProxy, which win there)
 * LOG, LOG_LEVEL              log.requests, logLevel
 * </pre>
 *
 * Strings may refer to the environment as {@code $NAME} or {@code ${NAME}} ({@link EnvReferences}); secrets keep the
 * reference, so it is resolved when used and a migrated file keeps it too. Everything else is reported once, as not
 * honoured or as ignored. The file is read as JSON5, as there (comments, trailing commas). See
 * docs/COMING-FROM-CLAUDE-CODE-ROUTER.md.
 */
final class ClaudeCodeRouterFormat {
    /** What the router says once on reading a file in this format (a warning, so every view of the config shows it). */
    static final String NOTICE =
            "read in claude-code-router's format (Providers, Router); 'ccr config migrate' rewrites"
                    + " it in ccr's own format and keeps the original";
    /** claude-code-router's default port: what its users' Claude Code settings point at. */
    static final int DEFAULT_PORT = 3456;
    /** The name the router token made from {@code APIKEY} is logged under. */
    static final String TOKEN_NAME = "APIKEY";

    private static final List<String> PROXY_KEYS = List.of("HTTPS_PROXY", "https_proxy", "httpsProxy", "PROXY_URL");

    /**
     * The ccr config a claude-code-router file means.
     *
     * @param paths where each part of {@code config} was written in the file
     * @param problems what makes the file unusable, at paths in the file as written
     * @param warnings what ccr reads differently or not at all, at paths in the file as written
     * @param changes what became what, for {@code ccr config migrate}
     */
    record Translation(
            RouterConfig config,
            WrittenPaths paths,
            List<ConfigProblems.Problem> problems,
            List<ConfigProblems.Problem> warnings,
            List<ConfigMigration.Change> changes) {}

    private final Function<String, String> environment;
    private final List<ConfigProblems.Problem> problems = new ArrayList<>();
    private final List<ConfigProblems.Problem> warnings = new ArrayList<>();
    private final List<ConfigMigration.Change> changes = new ArrayList<>();
    private final NotHonoured notHonoured = new NotHonoured();
    private final WrittenPaths paths = new WrittenPaths();

    private ClaudeCodeRouterFormat(Function<String, String> environment) {
        this.environment = environment;
    }

    /**
     * Whether a parsed file is in this format: it has {@code Providers} or {@code Router}, which ccr's own format never
     * has, and no {@code endpoints}, which this one never has.
     */
    static boolean recognises(JsonNode root) {
        return root != null
                && root.isObject()
                && !root.has("endpoints")
                && (root.has("Providers") || root.has("providers") || root.has("Router"));
    }

    static Translation translate(JsonNode root, Function<String, String> environment) {
        ClaudeCodeRouterFormat format = new ClaudeCodeRouterFormat(environment);
        RouterConfig config = format.read(root);
        List<ConfigProblems.Problem> warnings = new ArrayList<>(format.warnings);
        warnings.addAll(format.notHonoured.warnings());
        return new Translation(config, format.paths, format.problems, warnings, format.changes);
    }

    private RouterConfig read(JsonNode root) {
        ConfigPath at = ConfigPath.ROOT;
        paths.map(at, at);
        List<EndpointConfig> endpoints = providers(root);
        Set<String> names = new LinkedHashSet<>();
        endpoints.forEach(e -> names.add(e.name()));

        Integer threshold = null;
        RoutesConfig routes = null;
        JsonNode router = root.get("Router");
        if (router != null && !router.isNull()) {
            if (!router.isObject()) {
                problems.add(new ConfigProblems.Problem(at.key("Router"), "Router must be an object"));
            } else {
                routes = new ClaudeCodeRouterRoutes(environment, problems, warnings, changes, notHonoured, paths)
                        .read(router, root.get("fallback"));
                threshold = integer(router, "longContextThreshold", at.key("Router"));
                if (threshold != null) {
                    paths.map(at.key("longContextThreshold"), at.key("Router").key("longContextThreshold"));
                    changes.add(new ConfigMigration.Change(
                            "Router.longContextThreshold", "longContextThreshold: " + threshold));
                }
            }
        }

        Integer port = integer(root, "PORT", at);
        paths.map(at.key("port"), at.key("PORT"));
        String apiKey = string(root, "APIKEY", at);
        AuthConfig auth = null;
        if (apiKey != null && !apiKey.isEmpty()) {
            auth = new AuthConfig(List.of(new RouterToken(TOKEN_NAME, EnvReferences.braced(apiKey))), null, null, null);
            paths.map(at.key("auth"), at.key("APIKEY"));
            changes.add(new ConfigMigration.Change("APIKEY", "auth.tokens: a router token named " + TOKEN_NAME));
        }
        String host = string(root, "HOST", at);
        if (host != null) {
            host = EnvReferences.interpolate(host, environment).strip();
            paths.map(at.key("host"), at.key("HOST"));
            if (auth == null && !LoopbackHosts.isLoopback(host)) {
                warnings.add(new ConfigProblems.Problem(
                        at.key("HOST"),
                        "HOST " + host + " is not used without APIKEY: the router listens on 127.0.0.1, as"
                                + " claude-code-router does; set APIKEY to serve other machines"));
                host = null;
            }
        }
        int listenPort = port != null ? port : DEFAULT_PORT;
        changes.add(new ConfigMigration.Change(
                port != null ? "PORT" : "PORT (not set: claude-code-router's default)", "port: " + listenPort));
        if (host != null) {
            changes.add(new ConfigMigration.Change("HOST", "host: " + host));
        }

        TimeoutsConfig timeouts = null;
        Integer timeout = integer(root, "API_TIMEOUT_MS", at);
        if (timeout != null) {
            timeouts = new TimeoutsConfig(null, timeout, null, null);
            paths.map(at.key("timeouts"), at.key("API_TIMEOUT_MS"));
            changes.add(new ConfigMigration.Change("API_TIMEOUT_MS", "timeouts.firstByteMs: " + timeout));
        }

        String proxy = null;
        for (String key : PROXY_KEYS) {
            String value = string(root, key, at);
            if (value != null && !value.isBlank() && proxy == null) {
                proxy = EnvReferences.braced(value.strip());
                paths.map(at.key("proxy"), at.key(key));
                changes.add(new ConfigMigration.Change(key, "proxy"));
            } else if (value != null && !value.isBlank()) {
                warnings.add(new ConfigProblems.Problem(
                        at.key(key), key + " is ignored: another proxy key wins, as in claude-code-router"));
            }
        }

        LogConfig log = null;
        JsonNode logSwitch = root.get("LOG");
        if (logSwitch != null && logSwitch.isBoolean() && !logSwitch.asBoolean()) {
            log = new LogConfig(false, null, null, null, null, null, null);
            paths.map(at.key("log"), at.key("LOG"));
            changes.add(new ConfigMigration.Change("LOG: false", "log.requests: false"));
        }
        LogLevel logLevel = logLevel(root, at);

        otherKeys(root, at);
        if (endpoints.isEmpty()) {
            warnings.add(new ConfigProblems.Problem(
                    root.has("Providers") ? at.key("Providers") : root.has("providers") ? at.key("providers") : at,
                    "no providers are configured, so ccr runs on its defaults: one Anthropic endpoint that forwards"
                            + " your own key"));
            endpoints = ConfigLoader.builtIn().endpoints();
            changes.add(new ConfigMigration.Change("Providers (none)", "endpoints: ccr's default Anthropic endpoint"));
        }
        return new RouterConfig(
                null,
                listenPort,
                host,
                logLevel,
                endpoints,
                null,
                null,
                auth,
                null,
                log,
                null,
                routes,
                null,
                threshold,
                timeouts,
                null,
                null,
                null,
                proxy,
                null,
                null);
    }

    private List<EndpointConfig> providers(JsonNode root) {
        String key = root.has("Providers") ? "Providers" : "providers";
        if (root.has("Providers") && root.has("providers")) {
            warnings.add(new ConfigProblems.Problem(
                    ConfigPath.ROOT.key("providers"),
                    "providers is ignored: Providers wins, as in claude-code-router"));
        }
        ConfigPath at = ConfigPath.ROOT.key(key);
        paths.map(ConfigPath.ROOT.key("endpoints"), at);
        JsonNode list = root.get(key);
        List<EndpointConfig> endpoints = new ArrayList<>();
        if (list == null || list.isNull()) {
            return endpoints;
        }
        if (!list.isArray()) {
            problems.add(new ConfigProblems.Problem(at, key + " must be a list of providers"));
            return endpoints;
        }
        ClaudeCodeRouterProvider reader = new ClaudeCodeRouterProvider(environment, notHonoured, problems, warnings);
        for (int i = 0; i < list.size(); i++) {
            ConfigPath endpointAt = ConfigPath.ROOT.key("endpoints").index(endpoints.size());
            ClaudeCodeRouterProvider.Read read = reader.read(list.get(i), at.index(i), paths, endpointAt);
            if (read != null) {
                endpoints.add(read.endpoint());
                changes.add(new ConfigMigration.Change(
                        key + "[" + i + "] " + read.endpoint().name(),
                        "endpoints[" + (endpoints.size() - 1) + "]: " + read.summary()));
            }
        }
        return endpoints;
    }

    private LogLevel logLevel(JsonNode root, ConfigPath at) {
        String level = string(root, "LOG_LEVEL", at);
        if (level == null) {
            return null;
        }
        paths.map(at.key("logLevel"), at.key("LOG_LEVEL"));
        LogLevel mapped =
                switch (level.strip().toLowerCase(Locale.ROOT)) {
                    case "fatal", "error" -> LogLevel.ERROR;
                    case "warn" -> LogLevel.WARN;
                    case "info" -> LogLevel.INFO;
                    case "debug" -> LogLevel.DEBUG;
                    case "trace" -> LogLevel.TRACE;
                    default -> null;
                };
        if (mapped == null) {
            warnings.add(new ConfigProblems.Problem(
                    at.key("LOG_LEVEL"),
                    "LOG_LEVEL \"" + level + "\" is not a level; allowed: fatal, error, warn, info, debug, trace"));
        } else {
            changes.add(new ConfigMigration.Change(
                    "LOG_LEVEL", "logLevel: " + mapped.name().toLowerCase(Locale.ROOT)));
        }
        return mapped;
    }

    /** Reports the top-level keys this reader does not use: what ccr cannot do, and what has no effect. */
    private void otherKeys(JsonNode root, ConfigPath at) {
        Set<String> used = new LinkedHashSet<>(List.of(
                "Providers",
                "providers",
                "Router",
                "fallback",
                "APIKEY",
                "HOST",
                "PORT",
                "API_TIMEOUT_MS",
                "LOG",
                "LOG_LEVEL"));
        used.addAll(PROXY_KEYS);
        List<String> ignored = new ArrayList<>();
        ConfigPath firstIgnored = null;
        for (String key : iterable(root.fieldNames())) {
            if (used.contains(key)) {
                continue;
            }
            switch (key) {
                case "CUSTOM_ROUTER_PATH" ->
                    notHonoured.add(
                            "CUSTOM_ROUTER_PATH",
                            "ccr cannot run a JavaScript router; write its decisions as ccr \"rules\" (docs/ROUTING.md)",
                            at.key(key),
                            null);
                case "REWRITE_SYSTEM_PROMPT" ->
                    notHonoured.add(
                            "REWRITE_SYSTEM_PROMPT",
                            "ccr sends Claude Code's system prompt unchanged",
                            at.key(key),
                            null);
                case "transformers" ->
                    notHonoured.add(
                            "transformers (custom transformer plugins)",
                            "ccr cannot run JavaScript plugins; providers that use them get ccr's own conventions",
                            at.key(key),
                            null);
                case "forceUseImageAgent" -> {
                    if (root.get(key).asBoolean(false)) {
                        notHonoured.add(
                                "forceUseImageAgent",
                                "ccr has no image agent; route images to a model that reads them with Router.image",
                                at.key(key),
                                null);
                    }
                }
                default -> {
                    ignored.add(key);
                    if (firstIgnored == null) {
                        firstIgnored = at.key(key);
                    }
                }
            }
        }
        if (!ignored.isEmpty()) {
            warnings.add(new ConfigProblems.Problem(
                    firstIgnored, "ignored, since ccr has no counterpart: " + String.join(", ", ignored)));
        }
    }

    private String string(JsonNode object, String key, ConfigPath at) {
        return string(object, key, at, problems);
    }

    /** A string member, or {@code null} when absent (recording a problem when it is there but not a string). */
    static String string(JsonNode object, String key, ConfigPath at, List<ConfigProblems.Problem> problems) {
        JsonNode value = object.get(key);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            problems.add(new ConfigProblems.Problem(at.key(key), key + " must be a string"));
            return null;
        }
        return value.asText();
    }

    /** A whole number written as a number or, as the JavaScript original allows, a string of digits. */
    private Integer integer(JsonNode object, String key, ConfigPath at) {
        JsonNode value = object.get(key);
        if (value == null || value.isNull()) {
            return null;
        }
        if (value.isIntegralNumber() && value.canConvertToInt()) {
            return value.asInt();
        }
        if (value.isTextual()) {
            String text = EnvReferences.interpolate(value.asText(), environment).strip();
            if (text.matches("[0-9]{1,9}")) {
                return Integer.parseInt(text);
            }
        }
        problems.add(new ConfigProblems.Problem(at.key(key), key + " must be a whole number"));
        return null;
    }

    private static Iterable<String> iterable(java.util.Iterator<String> names) {
        return () -> names;
    }
}
