package dev.ccr.server.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ccr.server.config.ConfigFormat;
import dev.ccr.server.config.ConfigProblem;
import dev.ccr.server.config.EffectiveConfig;
import dev.ccr.server.config.Endpoint;
import dev.ccr.server.config.RouteRef;
import dev.ccr.server.config.RouteSpec;
import dev.ccr.server.config.Scenario;
import dev.ccr.server.json.Json;
import java.nio.file.Path;
import java.util.List;

/**
 * What {@code ccr config check --json} prints: the file, its format, every problem located, and what the config
 * resolves to. No secret appears: keys are described as set, missing or the client's own.
 *
 * <pre>
 * {"file": …, "exists": true, "format": "ccr" | "claude-code-router" | null, "valid": true,
 *  "problems": [{"severity": "error" | "warning", "file", "line", "column", "path", "message"}],
 *  "summary": {"listen", "host", "port", "defaultEndpoint", "endpoints": […], "routes": {…}, "rules": […],
 *              "longContextThreshold", "tokens": […], "timeouts": {…}}}
 * </pre>
 */
final class ConfigReport {
    private ConfigReport() {}

    /** The report for a config that loaded. */
    static ObjectNode valid(
            Path file, boolean exists, ConfigFormat format, EffectiveConfig config, List<ConfigProblem> warnings) {
        ObjectNode report = head(file, exists, format, true);
        problems(report.putArray("problems"), List.of(), warnings);
        report.set("summary", summary(config));
        return report;
    }

    /** The report for a config that did not load. */
    static ObjectNode invalid(Path file, boolean exists, ConfigFormat format, List<ConfigProblem> problems) {
        ObjectNode report = head(file, exists, format, false);
        problems(report.putArray("problems"), problems, List.of());
        report.putNull("summary");
        return report;
    }

    private static ObjectNode head(Path file, boolean exists, ConfigFormat format, boolean valid) {
        ObjectNode report = Json.object();
        report.put("file", file.toString());
        report.put("exists", exists);
        report.put("format", format == null ? null : format.wireName());
        report.put("valid", valid);
        return report;
    }

    private static void problems(ArrayNode out, List<ConfigProblem> errors, List<ConfigProblem> warnings) {
        errors.forEach(p -> problem(out, "error", p));
        warnings.forEach(p -> problem(out, "warning", p));
    }

    private static void problem(ArrayNode out, String severity, ConfigProblem problem) {
        ObjectNode item = out.addObject();
        item.put("severity", severity);
        item.put("file", problem.file());
        item.put("line", problem.line());
        item.put("column", problem.column());
        item.put("path", problem.path());
        item.put("message", problem.message());
    }

    private static ObjectNode summary(EffectiveConfig config) {
        ObjectNode summary = Json.object();
        summary.put("listen", "http://" + config.host() + ":" + config.port());
        summary.put("host", config.host());
        summary.put("port", config.port());
        summary.put("defaultEndpoint", config.defaultEndpoint());
        ArrayNode endpoints = summary.putArray("endpoints");
        for (Endpoint endpoint : config.endpoints()) {
            ObjectNode item = endpoints.addObject();
            item.put("name", endpoint.name());
            item.put("type", endpoint.type().wireName());
            item.put("format", endpoint.format().name().toLowerCase(java.util.Locale.ROOT));
            item.put("baseUrl", endpoint.baseUrl().toString());
            item.put("provider", endpoint.provider().wireName());
            item.put("key", key(endpoint));
            endpoint.models().forEach(item.putArray("models")::add);
            item.put("proxy", endpoint.proxy() == null ? null : endpoint.proxy().toString());
        }
        ObjectNode routes = summary.putObject("routes");
        if (config.defaultRoute() != null) {
            routes.set("default", route(config.defaultRoute()));
        }
        for (Scenario scenario : Scenario.values()) {
            RouteSpec route = config.routes().get(scenario);
            if (route != null) {
                routes.set(scenario.configName(), route(route));
            }
        }
        ArrayNode rules = summary.putArray("rules");
        config.rules()
                .forEach(rule -> rules.addObject().put("name", rule.name()).set("target", route(rule.target())));
        summary.put("longContextThreshold", config.longContextThreshold());
        ArrayNode tokens = summary.putArray("tokens");
        config.auth().tokens().forEach(token -> tokens.add(token.name()));
        ObjectNode timeouts = summary.putObject("timeouts");
        timeouts.put("connectMs", config.timeouts().connect().toMillis());
        timeouts.put("firstByteMs", config.timeouts().firstByte().toMillis());
        timeouts.put("idleMs", config.timeouts().idle().toMillis());
        timeouts.put("totalMs", config.timeouts().total().toMillis());
        return summary;
    }

    private static ObjectNode route(RouteSpec spec) {
        ObjectNode route = Json.object();
        ArrayNode targets = route.putArray("targets");
        for (RouteRef target : spec.targets()) {
            targets.add(target.toString());
        }
        route.put("strategy", spec.strategy().configName());
        return route;
    }

    /** How the endpoint authenticates, in words: never the key itself. */
    static String key(Endpoint endpoint) {
        if (endpoint.apiKey() == null) {
            return endpoint.passesThrough() ? "client" : "none";
        }
        return endpoint.apiKey().isAvailable() ? "set" : "missing";
    }
}
