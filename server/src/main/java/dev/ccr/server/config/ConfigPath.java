package dev.ccr.server.config;

import com.fasterxml.jackson.core.JsonPointer;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** A location inside the config document, shown to users as {@code $.endpoints[1].type}. */
public record ConfigPath(List<Object> segments) {
    private static final Pattern PLAIN_NAME = Pattern.compile("[A-Za-z_$][A-Za-z0-9_$]*");
    public static final ConfigPath ROOT = new ConfigPath(List.of());

    public ConfigPath {
        segments = List.copyOf(segments);
    }

    public ConfigPath key(String name) {
        List<Object> next = new ArrayList<>(segments);
        next.add(name);
        return new ConfigPath(next);
    }

    public ConfigPath index(int index) {
        List<Object> next = new ArrayList<>(segments);
        next.add(index);
        return new ConfigPath(next);
    }

    public JsonPointer pointer() {
        JsonPointer pointer = JsonPointer.empty();
        for (Object segment : segments) {
            pointer = segment instanceof Integer i ? pointer.appendIndex(i) : pointer.appendProperty((String) segment);
        }
        return pointer;
    }

    /** JSONPath notation, which users know from jq and editors. */
    public String display() {
        StringBuilder out = new StringBuilder("$");
        for (Object segment : segments) {
            if (segment instanceof Integer i) {
                out.append('[').append(i).append(']');
            } else if (PLAIN_NAME.matcher((String) segment).matches()) {
                out.append('.').append(segment);
            } else {
                out.append("['").append(((String) segment).replace("'", "\\'")).append("']");
            }
        }
        return out.toString();
    }

    @Override
    public String toString() {
        return display();
    }
}
