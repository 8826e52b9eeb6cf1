package dev.ccr.server.config;

import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A route's destination as written. Three forms, so that the classic single string stays valid:
 *
 * <pre>
 * "glm,glm-4.6"                                             one target
 * ["anthropic", "glm,glm-4.6"]                              targets in failover order
 * {"targets": ["a", "b"], "strategy": "round-robin"}        targets and how to pick among them
 * </pre>
 *
 * @param targets each {@code "endpoint,model"} or {@code "endpoint"}, as written (entries may be null or blank: the
 *     resolver reports them with their location)
 * @param strategy how to pick, or {@code null} for the default ({@code failover})
 * @param form which of the three forms was written, so problems can point into it
 */
@JsonDeserialize(using = RouteConfig.Reader.class)
public record RouteConfig(List<String> targets, Strategy strategy, Form form) {
    /** What the schema and error messages say a route may be. */
    static final String SHAPES = "\"endpoint,model\", a list of them, or {\"targets\": [...], \"strategy\": ...}";

    /** How a route was written. */
    public enum Form {
        STRING,
        LIST,
        OBJECT
    }

    public static RouteConfig of(String target) {
        return new RouteConfig(java.util.Collections.singletonList(target), null, Form.STRING);
    }

    /** The route as a config file writes it, in the form it was read in (what {@code ccr config migrate} writes). */
    @JsonValue
    public Object written() {
        return switch (form) {
            case STRING -> targets.get(0);
            case LIST -> targets;
            case OBJECT -> {
                java.util.Map<String, Object> object = new java.util.LinkedHashMap<>();
                object.put("targets", targets);
                if (strategy != null) {
                    object.put("strategy", strategy.configName());
                }
                yield object;
            }
        };
    }

    /** The config path of target {@code i}, given the route's own path. */
    ConfigPath targetPath(ConfigPath route, int i) {
        return switch (form) {
            case STRING -> route;
            case LIST -> route.index(i);
            case OBJECT -> route.key("targets").index(i);
        };
    }

    /** Reads any of the three forms; anything else is reported at its location with what is allowed. */
    static final class Reader extends JsonDeserializer<RouteConfig> {
        private static final List<String> KEYS = List.of("strategy", "targets");

        @Override
        public RouteConfig deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            JsonNode node = parser.readValueAsTree();
            if (node.isTextual()) {
                return of(node.asText());
            }
            if (node.isArray()) {
                return new RouteConfig(strings(parser, node, null), null, Form.LIST);
            }
            if (!node.isObject()) {
                throw MismatchedInputException.from(parser, RouteConfig.class, "expected " + SHAPES);
            }
            List<String> targets = null;
            Strategy strategy = null;
            for (var field : (Iterable<java.util.Map.Entry<String, JsonNode>>) node::fields) {
                switch (field.getKey()) {
                    case "targets" -> {
                        JsonNode value = field.getValue();
                        if (!value.isArray()) {
                            throw at(
                                    MismatchedInputException.from(
                                            parser, RouteConfig.class, "expected a list of \"endpoint,model\""),
                                    "targets");
                        }
                        targets = strings(parser, value, "targets");
                    }
                    case "strategy" -> strategy = strategy(parser, field.getValue());
                    default ->
                        throw at(
                                UnrecognizedPropertyException.from(
                                        parser, RouteConfig.class, field.getKey(), new ArrayList<>(KEYS)),
                                field.getKey());
                }
            }
            return new RouteConfig(targets, strategy, Form.OBJECT);
        }

        private static List<String> strings(JsonParser parser, JsonNode array, String key) throws JsonMappingException {
            List<String> out = new ArrayList<>();
            for (int i = 0; i < array.size(); i++) {
                JsonNode item = array.get(i);
                if (!item.isTextual()) {
                    MismatchedInputException e = MismatchedInputException.from(
                            parser, String.class, "expected \"endpoint,model\" or \"endpoint\"");
                    e.prependPath(array, i);
                    throw key == null ? e : at(e, key);
                }
                out.add(item.asText());
            }
            return out;
        }

        private static Strategy strategy(JsonParser parser, JsonNode value) throws JsonMappingException {
            for (Strategy each : Strategy.values()) {
                if (value.isTextual() && each.configName().equals(value.asText())) {
                    return each;
                }
            }
            throw at(
                    InvalidFormatException.from(
                            parser,
                            "\"" + value.asText() + "\" is not a strategy; allowed: "
                                    + String.join(
                                            ", ",
                                            Arrays.stream(Strategy.values())
                                                    .map(Strategy::configName)
                                                    .toList()),
                            value.asText(),
                            Strategy.class),
                    "strategy");
        }

        private static <E extends JsonMappingException> E at(E failure, String key) {
            failure.prependPath(RouteConfig.class, key);
            return failure;
        }
    }
}
