package dev.ccr.server.translate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * Rewrites a tool's JSON Schema into the OpenAPI subset Gemini accepts. Claude Code puts {@code "$schema"} and
 * {@code "additionalProperties": false} on every tool, and MCP servers add {@code $ref}, {@code const} and type unions;
 * Gemini rejects the whole request for any one of them. Unknown keywords are dropped (an allowlist, so new JSON Schema
 * keywords cannot break requests), type unions with null become {@code nullable}, {@code const} becomes a one-value
 * {@code enum}, and local {@code $ref}s are inlined.
 */
public final class SchemaCleaner {
    private static final Set<String> KEPT = Set.of(
            "type",
            "format",
            "description",
            "nullable",
            "enum",
            "maxItems",
            "minItems",
            "properties",
            "required",
            "minProperties",
            "maxProperties",
            "minLength",
            "maxLength",
            "pattern",
            "example",
            "anyOf",
            "propertyOrdering",
            "default",
            "items",
            "minimum",
            "maximum",
            "title");
    /** String formats Gemini knows; others (uri, email, …) make it reject the schema. */
    private static final Set<String> STRING_FORMATS = Set.of("enum", "date-time");

    private static final Set<String> NUMBER_FORMATS = Set.of("int32", "int64", "float", "double");
    /** Enough for real schemas; stops a self-referencing {@code $ref} from expanding forever. */
    private static final int MAX_REF_DEPTH = 8;

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private SchemaCleaner() {}

    /**
     * The cleaned schema, or {@code null} when nothing is left to declare (an object without properties, which
     * Gemini refuses as a function's parameters).
     */
    public static ObjectNode parameters(JsonNode schema) {
        if (schema == null || !schema.isObject()) {
            return null;
        }
        ObjectNode cleaned = clean(schema, schema, 0);
        JsonNode properties = cleaned.get("properties");
        if ("object".equals(cleaned.path("type").asText()) && (properties == null || properties.isEmpty())) {
            return null;
        }
        return cleaned;
    }

    /** Cleans one (sub)schema; {@code root} resolves {@code $ref}s. */
    public static ObjectNode clean(JsonNode schema, JsonNode root, int depth) {
        ObjectNode out = NODES.objectNode();
        if (!schema.isObject()) {
            return out;
        }
        JsonNode ref = schema.get("$ref");
        if (ref != null && ref.isTextual()) {
            JsonNode target = resolve(root, ref.asText());
            if (target != null && depth < MAX_REF_DEPTH) {
                ObjectNode inlined = clean(target, root, depth + 1);
                if (schema.has("description")) {
                    inlined.set("description", schema.get("description"));
                }
                return inlined;
            }
            out.put("type", "object");
            return out;
        }
        JsonNode allOf = schema.get("allOf");
        if (allOf != null && allOf.isArray() && allOf.size() == 1) {
            ObjectNode merged = schema.deepCopy();
            merged.remove("allOf");
            allOf.get(0).fields().forEachRemaining(e -> merged.putIfAbsent(e.getKey(), e.getValue()));
            return clean(merged, root, depth + 1);
        }
        Iterator<Map.Entry<String, JsonNode>> fields = schema.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            String key = field.getKey();
            JsonNode value = field.getValue();
            switch (key) {
                case "type" -> type(value, out);
                case "const" -> out.set("enum", NODES.arrayNode().add(value));
                case "properties" -> {
                    if (value.isObject() && !value.isEmpty()) {
                        ObjectNode properties = out.putObject("properties");
                        value.fields()
                                .forEachRemaining(p -> properties.set(p.getKey(), clean(p.getValue(), root, depth)));
                    }
                }
                case "items" -> {
                    JsonNode items = value.isArray() && !value.isEmpty() ? value.get(0) : value;
                    if (items.isObject()) {
                        out.set("items", clean(items, root, depth));
                    }
                }
                case "anyOf", "oneOf" -> {
                    if (value.isArray()) {
                        ArrayNode variants = NODES.arrayNode();
                        for (JsonNode variant : value) {
                            if (!"null".equals(variant.path("type").asText())) {
                                variants.add(clean(variant, root, depth));
                            } else {
                                out.put("nullable", true);
                            }
                        }
                        if (variants.size() == 1) {
                            ((ObjectNode) variants.get(0))
                                    .fields()
                                    .forEachRemaining(e -> out.set(e.getKey(), e.getValue()));
                        } else if (!variants.isEmpty()) {
                            out.set("anyOf", variants);
                        }
                    }
                }
                case "format" -> {
                    // judged once the type is known, below
                }
                default -> {
                    if (KEPT.contains(key)) {
                        out.set(key, value);
                    }
                }
            }
        }
        JsonNode format = schema.get("format");
        if (format != null && format.isTextual()) {
            String type = out.path("type").asText();
            Set<String> allowed = type.equals("string")
                    ? STRING_FORMATS
                    : type.equals("number") || type.equals("integer") ? NUMBER_FORMATS : Set.of();
            if (allowed.contains(format.asText())) {
                out.set("format", format);
            }
        }
        JsonNode required = out.get("required");
        if (required != null) {
            JsonNode properties = out.get("properties");
            ArrayNode kept = NODES.arrayNode();
            if (required.isArray() && properties != null) {
                required.forEach(name -> {
                    if (properties.has(name.asText())) {
                        kept.add(name);
                    }
                });
            }
            if (kept.isEmpty()) {
                out.remove("required");
            } else {
                out.set("required", kept);
            }
        }
        return out;
    }

    /** {@code "type": ["string", "null"]} is JSON Schema's nullable; Gemini wants one type and a flag. */
    private static void type(JsonNode value, ObjectNode out) {
        if (value.isTextual()) {
            if (value.asText().equals("null")) {
                out.put("nullable", true);
            } else {
                out.set("type", value);
            }
            return;
        }
        if (value.isArray()) {
            for (JsonNode type : value) {
                if (type.asText().equals("null")) {
                    out.put("nullable", true);
                } else if (!out.has("type")) {
                    out.set("type", type);
                }
            }
        }
    }

    private static JsonNode resolve(JsonNode root, String ref) {
        if (!ref.startsWith("#")) {
            return null;
        }
        JsonNode target = root.at(ref.substring(1));
        return target.isMissingNode() ? null : target;
    }
}
