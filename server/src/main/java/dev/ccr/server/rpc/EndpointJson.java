package dev.ccr.server.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.ccr.protocol.config.EndpointSettings;
import dev.ccr.protocol.config.EndpointType;
import dev.ccr.server.config.ConfigDocument;
import dev.ccr.server.config.ConfigEditException;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Endpoint settings from the editor as the config file writes them. */
final class EndpointJson {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private EndpointJson() {}

    /** A whole endpoint, for adding (or for testing settings not saved yet). */
    static ObjectNode of(EndpointSettings settings) throws ConfigEditException {
        require(settings);
        if (settings.type() == null || blank(settings.baseUrl())) {
            throw new ConfigEditException(
                    ConfigEditException.Kind.INCOMPLETE,
                    "endpoint \"" + settings.name() + "\" needs a type and a baseUrl");
        }
        ObjectNode endpoint = NODES.objectNode();
        endpoint.put("name", settings.name());
        endpoint.put("type", lower(settings.type()));
        endpoint.put("baseUrl", settings.baseUrl().strip());
        if (settings.format() != null) {
            endpoint.put("format", lower(settings.format()));
        }
        if (settings.headers() != null && !settings.headers().isEmpty()) {
            ObjectNode headers = endpoint.putObject("headers");
            settings.headers().forEach(headers::put);
        }
        if (settings.models() != null && !settings.models().isEmpty()) {
            endpoint.set("models", strings(settings.models()));
        }
        if (settings.modelMap() != null && !settings.modelMap().isEmpty()) {
            endpoint.set("modelMap", object(settings.modelMap()));
        }
        return endpoint;
    }

    /** Changes the given fields of an existing endpoint, each in place. */
    static void update(ConfigDocument document, EndpointSettings settings) throws ConfigEditException {
        require(settings);
        String name = settings.name();
        if (settings.type() != null) {
            document.setInEndpoint(name, "type", TextNode.valueOf(lower(settings.type())));
            if (settings.type() != EndpointType.CUSTOM && settings.format() == null) {
                document.setInEndpoint(name, "format", null); // only custom endpoints have one
            }
        }
        if (settings.baseUrl() != null) {
            document.setInEndpoint(
                    name, "baseUrl", TextNode.valueOf(settings.baseUrl().strip()));
        }
        if (settings.format() != null) {
            document.setInEndpoint(name, "format", TextNode.valueOf(lower(settings.format())));
        }
        if (settings.headers() != null) {
            for (Map.Entry<String, String> header : settings.headers().entrySet()) {
                document.setInEndpointObject(name, "headers", header.getKey(), TextNode.valueOf(header.getValue()));
            }
        }
        if (settings.removeHeaders() != null) {
            for (String header : settings.removeHeaders()) {
                document.removeFromEndpointObject(name, "headers", header);
            }
        }
        if (settings.models() != null) {
            document.setInEndpoint(name, "models", settings.models().isEmpty() ? null : strings(settings.models()));
        }
        if (settings.modelMap() != null) {
            document.setInEndpoint(
                    name, "modelMap", settings.modelMap().isEmpty() ? null : object(settings.modelMap()));
        }
    }

    private static void require(EndpointSettings settings) throws ConfigEditException {
        if (settings == null || blank(settings.name())) {
            throw new ConfigEditException(ConfigEditException.Kind.INCOMPLETE, "the endpoint needs a name");
        }
    }

    private static String lower(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }

    private static ArrayNode strings(List<String> values) {
        ArrayNode array = NODES.arrayNode();
        values.forEach(array::add);
        return array;
    }

    private static JsonNode object(Map<String, String> values) {
        ObjectNode object = NODES.objectNode();
        values.forEach(object::put);
        return object;
    }

    private static boolean blank(String text) {
        return text == null || text.isBlank();
    }
}
