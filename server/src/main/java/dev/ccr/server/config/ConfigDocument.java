package dev.ccr.server.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.ccr.server.json.JsonText;
import dev.ccr.server.json.JsonTextEditor;
import java.util.ArrayList;
import java.util.List;

/**
 * The config file's text seen as the config it describes, for {@link ConfigFileEditor.Change}s: sections and endpoints
 * by name, each edit touching only its own part of the text. Generic over JSON trees, so sections this build does not
 * model yet are set and removed like any other.
 */
public final class ConfigDocument {
    private static final List<Object> ROOT = List.of();
    private static final List<Object> ENDPOINTS = List.of("endpoints");

    private final JsonTextEditor editor;

    ConfigDocument(JsonTextEditor editor) {
        this.editor = editor;
    }

    /** Sets a top-level section (replacing it), or removes it when {@code value} is null or JSON null. */
    public void setSection(String name, JsonNode value) {
        if (value == null || value.isNull()) {
            editor.removeMember(ROOT, name, "");
        } else {
            editor.put(ROOT, name, value);
        }
    }

    /** Sets a member of a top-level object section, creating the section when needed. */
    public void setInSection(String section, String name, JsonNode value) {
        if (!(editor.at(List.of(section)).orElse(null) instanceof JsonText.ObjectValue)) {
            editor.put(ROOT, section, JsonNodeFactory.instance.objectNode());
        }
        editor.put(List.of(section), name, value);
    }

    /** The names of the endpoints, in file order ({@code null} for an entry without a string name). */
    public List<String> endpointNames() {
        List<String> names = new ArrayList<>();
        if (editor.at(ENDPOINTS).orElse(null) instanceof JsonText.ArrayValue array) {
            for (JsonText.Value element : array.elements()) {
                names.add(
                        element instanceof JsonText.ObjectValue object
                                ? object.member("name")
                                        .map(JsonText.Member::value)
                                        .filter(v ->
                                                v instanceof JsonText.ScalarValue s && s.kind() == JsonText.Kind.STRING)
                                        .map(v -> ((JsonText.ScalarValue) v).string())
                                        .orElse(null)
                                : null);
            }
        }
        return names;
    }

    /** Appends an endpoint, creating the {@code endpoints} array when there is none. */
    public void addEndpoint(JsonNode endpoint) {
        if (editor.at(ENDPOINTS).orElse(null) instanceof JsonText.ArrayValue) {
            editor.append(ENDPOINTS, endpoint);
        } else {
            editor.put(ROOT, "endpoints", JsonNodeFactory.instance.arrayNode().add(endpoint));
        }
    }

    /** Removes the endpoint with this name. */
    public void removeEndpoint(String name) throws ConfigEditException {
        editor.removeElement(ENDPOINTS, indexOf(name));
    }

    /** Sets (or with null, removes) a member of the endpoint with this name. */
    public void setInEndpoint(String name, String member, JsonNode value) throws ConfigEditException {
        List<Object> endpoint = List.of("endpoints", indexOf(name));
        if (value == null || value.isNull()) {
            editor.removeMember(endpoint, member, "");
        } else {
            editor.put(endpoint, member, value);
        }
    }

    /** Sets a member of an object member of an endpoint (a header, say), creating the object when needed. */
    public void setInEndpointObject(String name, String object, String member, JsonNode value)
            throws ConfigEditException {
        List<Object> endpoint = List.of("endpoints", indexOf(name));
        List<Object> path = List.of("endpoints", indexOf(name), object);
        if (!(editor.at(path).orElse(null) instanceof JsonText.ObjectValue)) {
            editor.put(endpoint, object, JsonNodeFactory.instance.objectNode());
        }
        editor.put(path, member, value);
    }

    /** Removes a member of an object member of an endpoint, and the object when that leaves it empty. */
    public void removeFromEndpointObject(String name, String object, String member) throws ConfigEditException {
        List<Object> endpoint = List.of("endpoints", indexOf(name));
        List<Object> path = List.of("endpoints", indexOf(name), object);
        if (editor.at(path).orElse(null) instanceof JsonText.ObjectValue) {
            editor.removeMember(path, member, "");
            if (editor.at(path)
                    .map(v -> ((JsonText.ObjectValue) v).members().isEmpty())
                    .orElse(false)) {
                editor.removeMember(endpoint, object, "");
            }
        }
    }

    private int indexOf(String name) throws ConfigEditException {
        List<String> names = endpointNames();
        int index = names.lastIndexOf(name);
        if (index < 0) {
            throw new ConfigEditException(
                    ConfigEditException.Kind.NO_SUCH_ENDPOINT,
                    "no endpoint is named \"" + name + "\"; the config has: "
                            + String.join(
                                    ", ", names.stream().filter(n -> n != null).toList()));
        }
        return index;
    }
}
