package dev.ccr.server.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.victools.jsonschema.generator.CustomDefinition;
import com.github.victools.jsonschema.generator.Option;
import com.github.victools.jsonschema.generator.OptionPreset;
import com.github.victools.jsonschema.generator.SchemaGenerator;
import com.github.victools.jsonschema.generator.SchemaGeneratorConfigBuilder;
import com.github.victools.jsonschema.generator.SchemaVersion;
import com.github.victools.jsonschema.module.jackson.JacksonModule;
import com.github.victools.jsonschema.module.jackson.JacksonOption;
import dev.ccr.server.json.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/**
 * Generates the JSON Schema of the config file from the config records, so the schema editors use (VS Code's
 * {@code jsonValidation}) can never disagree with what the loader accepts. Runs at build time; the generator library
 * is not in the runtime jar.
 */
public final class ConfigSchema {
    /** Properties an object must have; the records cannot say so without changing how Jackson binds them. */
    private static final Map<Class<?>, Set<String>> REQUIRED = Map.of(
            EndpointConfig.class,
            Set.of("name", "type", "baseUrl"),
            RouterToken.class,
            Set.of("name", "token"),
            RuleConfig.class,
            Set.of("target"),
            SharedConfig.class,
            Set.of("redis"));

    private ConfigSchema() {}

    public static JsonNode generate() {
        SchemaGeneratorConfigBuilder builder = new SchemaGeneratorConfigBuilder(
                        Json.MAPPER, SchemaVersion.DRAFT_7, OptionPreset.PLAIN_JSON)
                .with(new JacksonModule(
                        JacksonOption.FLATTENED_ENUMS_FROM_JSONPROPERTY, JacksonOption.RESPECT_JSONPROPERTY_REQUIRED))
                .with(Option.MAP_VALUES_AS_ADDITIONAL_PROPERTIES)
                .without(Option.SCHEMA_VERSION_INDICATOR);
        // Unknown keys are errors for the loader, so the schema flags them too; maps are open by nature.
        builder.forTypesInGeneral()
                .withAdditionalPropertiesResolver(scope -> scope.getType().isInstanceOf(Map.class)
                        ? scope.getTypeParameterFor(Map.class, 1)
                        : scope.getType().getErasedType().isRecord() ? Void.class : null);
        // A route is written three ways (RouteConfig): its schema says so, where the record alone would say "object".
        builder.forTypesInGeneral()
                .withCustomDefinitionProvider((type, context) -> type.getErasedType() == RouteConfig.class
                        ? new CustomDefinition(
                                routeSchema(),
                                CustomDefinition.DefinitionType.STANDARD,
                                CustomDefinition.AttributeInclusion.YES)
                        : null);
        builder.forFields().withRequiredCheck(field -> REQUIRED.getOrDefault(
                        field.getDeclaringType().getErasedType(), Set.of())
                .contains(field.getName()));
        ObjectNode schema = new SchemaGenerator(builder.build()).generateSchema(RouterConfig.class);
        ObjectNode root = Json.object();
        root.put("$schema", "http://json-schema.org/draft-07/schema#");
        root.put("$id", "https://ccr.dev/schemas/config.schema.json");
        root.put("title", "ccr config");
        if (schema.has("definitions")) {
            root.set("definitions", schema.remove("definitions"));
        }
        // claude-code-router's file lives at the same path and ccr reads it as it is (ClaudeCodeRouterFormat); the
        // editor must not flag its every key. The same test as the loader's tells the two apart.
        ObjectNode ccrsFormat = root.putObject("if");
        ccrsFormat
                .putArray("anyOf")
                .add(required("Providers"))
                .add(required("providers"))
                .add(required("Router"));
        ccrsFormat.putObject("not").setAll(required("endpoints"));
        root.putObject("then")
                .put("type", "object")
                .put(
                        "description",
                        "claude-code-router's format (Providers, Router, APIKEY, ...), which ccr reads as it is."
                                + " 'ccr config migrate' rewrites it in ccr's own format; see"
                                + " docs/COMING-FROM-CLAUDE-CODE-ROUTER.md.");
        root.set("else", schema);
        return root;
    }

    private static ObjectNode required(String key) {
        ObjectNode schema = Json.object();
        schema.putArray("required").add(key);
        return schema;
    }

    private static ObjectNode routeSchema() {
        ObjectNode target = Json.object()
                .put("type", "string")
                .put("minLength", 1)
                .put("description", "\"endpoint,model\", or \"endpoint\" to map the model through its modelMap.");
        ObjectNode list = Json.object().put("type", "array").put("minItems", 1);
        list.set("items", target.deepCopy());
        list.put("description", "Targets in order: the first available one serves, the others are fallbacks.");
        ObjectNode object = Json.object().put("type", "object");
        ObjectNode properties = object.putObject("properties");
        properties.set("targets", list.deepCopy());
        ObjectNode strategy = properties.putObject("strategy");
        strategy.put("description", "How to pick the first target to try (default failover).");
        var names = strategy.putArray("enum");
        for (Strategy each : Strategy.values()) {
            names.add(each.configName());
        }
        object.putArray("required").add("targets");
        object.put("additionalProperties", false);
        ObjectNode route = Json.object();
        route.putArray("anyOf").add(target).add(list).add(object);
        return route;
    }

    /** The schema as the build writes it: pretty-printed, with a final newline. */
    public static String render() {
        try {
            return Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(generate()) + "\n";
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes the schema to the file named by the first argument. */
    public static void main(String[] args) throws IOException {
        Path out = Path.of(args[0]);
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, render());
    }
}
