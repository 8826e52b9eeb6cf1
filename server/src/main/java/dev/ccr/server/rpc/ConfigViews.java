package dev.ccr.server.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import dev.ccr.protocol.config.ApiKeySource;
import dev.ccr.protocol.config.CacheSettings;
import dev.ccr.protocol.config.ConfigProblemInfo;
import dev.ccr.protocol.config.ConfigResult;
import dev.ccr.protocol.config.EndpointInfo;
import dev.ccr.protocol.config.EndpointType;
import dev.ccr.protocol.config.WireFormat;
import dev.ccr.server.config.ConfigProblem;
import dev.ccr.server.config.EffectiveConfig;
import dev.ccr.server.config.Endpoint;
import dev.ccr.server.json.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The config as the protocol shows it: defaults applied, no secret anywhere. */
final class ConfigViews {
    private static final Pattern REFERENCE = Pattern.compile("^\\$\\{([A-Za-z_][A-Za-z0-9_]*)}$");

    private ConfigViews() {}

    /**
     * The view of the config in force.
     *
     * @param file the config file, read again for what the effective config does not keep (sections as written, how
     *     a key is given)
     */
    static ConfigResult of(EffectiveConfig config, List<ConfigProblem> warnings, Path file) {
        JsonNode raw = readTree(file);
        List<EndpointInfo> endpoints = new ArrayList<>();
        for (Endpoint endpoint : config.endpoints()) {
            endpoints.add(endpoint(endpoint, rawEndpoint(raw, endpoint.name())));
        }
        return new ConfigResult(
                config.file().toAbsolutePath().toString(),
                config.fromFile(),
                config.host(),
                config.port(),
                endpoints,
                config.defaultEndpoint(),
                new CacheSettings(
                        config.cache().enabled(), (int) config.cache().ttl().toSeconds()),
                section(raw, "routes"),
                section(raw, "limits"),
                problems(warnings));
    }

    static EndpointInfo endpoint(Endpoint endpoint, JsonNode raw) {
        String apiKeyText = raw == null || !raw.path("apiKey").isTextual()
                ? null
                : raw.path("apiKey").asText();
        Matcher reference = apiKeyText == null ? null : REFERENCE.matcher(apiKeyText);
        String variable = reference != null && reference.matches() ? reference.group(1) : null;
        ApiKeySource source;
        if (endpoint.apiKey() == null) {
            source = ApiKeySource.EDITOR_OR_CLIENT;
        } else if (apiKeyText != null && apiKeyText.contains("${")) {
            source = endpoint.apiKey().isAvailable() ? ApiKeySource.ENVIRONMENT : ApiKeySource.ENVIRONMENT_MISSING;
        } else {
            source = ApiKeySource.CONFIG;
        }
        return new EndpointInfo(
                endpoint.name(),
                type(endpoint.type()),
                WireFormat.valueOf(endpoint.format().name()),
                endpoint.baseUrl().toString(),
                List.copyOf(endpoint.headers().keySet()),
                endpoint.models(),
                endpoint.modelMap(),
                source,
                variable);
    }

    static EndpointType type(dev.ccr.server.config.EndpointType type) {
        return EndpointType.valueOf(type.name());
    }

    static List<ConfigProblemInfo> problems(List<ConfigProblem> problems) {
        return problems.stream().map(ConfigViews::problem).toList();
    }

    static ConfigProblemInfo problem(ConfigProblem problem) {
        return new ConfigProblemInfo(
                problem.file(), problem.line(), problem.column(), problem.path(), problem.message());
    }

    private static JsonNode rawEndpoint(JsonNode raw, String name) {
        if (raw == null) {
            return null;
        }
        JsonNode found = null;
        for (JsonNode endpoint : raw.path("endpoints")) {
            if (name.equals(endpoint.path("name").asText(null))) {
                found = endpoint;
            }
        }
        return found;
    }

    private static JsonElement section(JsonNode raw, String name) {
        JsonNode section = raw == null ? null : raw.get(name);
        return section == null || section.isNull() ? null : JsonParser.parseString(Json.write(section));
    }

    private static JsonNode readTree(Path file) {
        try {
            JsonNode tree = Json.MAPPER.readTree(Files.readAllBytes(file));
            return tree != null && tree.isObject() ? tree : null;
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            return null; // unreadable or invalid: the view shows the config in force without the extras
        }
    }
}
