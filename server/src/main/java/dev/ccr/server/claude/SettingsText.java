package dev.ccr.server.claude;

import dev.ccr.server.files.AtomicFiles;
import dev.ccr.server.json.JsonText;
import dev.ccr.server.json.JsonTextEditor;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A Claude Code settings file as text, checked for what the router needs before it may change it: valid UTF-8, valid
 * JSON, an object at the top, an {@code env} that is an object if present, and none of the router's keys twice.
 */
final class SettingsText {
    static final List<String> ENV = List.of("env");

    private final Path file;
    private final byte[] bytes;
    private final JsonTextEditor editor;

    private SettingsText(Path file, byte[] bytes, JsonTextEditor editor) {
        this.file = file;
        this.bytes = bytes;
        this.editor = editor;
    }

    /** Reads the file for changing it; refuses anything it could not change without risk. */
    static SettingsText read(Path file) throws ClaudeSettingsException {
        byte[] bytes;
        try {
            bytes = AtomicFiles.read(file).orElse(null);
        } catch (IOException e) {
            throw new ClaudeSettingsException(
                    ClaudeSettingsException.Kind.UNREADABLE, "cannot read " + file + ": " + e.getMessage(), e);
        }
        String text = bytes == null ? "" : decode(file, bytes);
        JsonTextEditor editor;
        try {
            editor = new JsonTextEditor(text);
        } catch (JsonText.SyntaxException e) {
            throw unreadable(file + ":" + e.line() + ":" + e.column() + ": not valid JSON (" + e.reason() + ")");
        }
        SettingsText settings = new SettingsText(file, bytes, editor);
        settings.check();
        return settings;
    }

    /** The {@code env} strings of a file that the router only reads; anything unreadable counts as empty. */
    static Map<String, String> envStrings(Path file) {
        Map<String, String> values = new LinkedHashMap<>();
        try {
            SettingsText settings = read(file);
            settings.env().ifPresent(env -> env.members().forEach(member -> {
                if (member.value() instanceof JsonText.ScalarValue scalar && scalar.kind() == JsonText.Kind.STRING) {
                    values.put(member.name(), scalar.string());
                }
            }));
        } catch (ClaudeSettingsException e) {
            // Claude Code cannot use such a file either.
        }
        return values;
    }

    private static String decode(Path file, byte[] bytes) throws ClaudeSettingsException {
        try {
            return JsonText.decodeUtf8(bytes);
        } catch (CharacterCodingException e) {
            throw unreadable(file + ": not UTF-8 text");
        }
    }

    private void check() throws ClaudeSettingsException {
        Optional<JsonText.Value> root = editor.root();
        if (root.isEmpty()) {
            return;
        }
        if (!(root.get() instanceof JsonText.ObjectValue object)) {
            throw unreadable(file + ": the settings must be a JSON object { ... }");
        }
        if (object.count("env") > 1) {
            throw unreadable(
                    file + ": \"env\" appears more than once (Claude Code uses the last); merge them into one");
        }
        Optional<JsonText.Member> env = object.member("env");
        if (env.isEmpty()) {
            return;
        }
        if (!(env.get().value() instanceof JsonText.ObjectValue envObject)) {
            throw unreadable(
                    at(env.get().value()) + ": \"env\" must be an object of variables, such as {\"NAME\": \"value\"}");
        }
        for (String key : ClaudeEnv.KEYS) {
            if (envObject.count(key) > 1) {
                throw unreadable(at(envObject) + ": env has " + key + " more than once (Claude Code uses the last);"
                        + " remove the others");
            }
        }
    }

    private String at(JsonText.Value value) {
        int[] position = JsonText.lineAndColumn(editor.text(), value.start());
        return file + ":" + position[0] + ":" + position[1];
    }

    private static ClaudeSettingsException unreadable(String what) {
        return new ClaudeSettingsException(
                ClaudeSettingsException.Kind.UNREADABLE,
                what + "; fix the file and try again; it was not changed",
                null);
    }

    Path file() {
        return file;
    }

    boolean missing() {
        return bytes == null;
    }

    boolean blank() {
        return bytes != null && editor.root().isEmpty();
    }

    /** Whether the file on disk still holds exactly what was read. */
    boolean unchangedOnDisk() throws IOException {
        Optional<byte[]> now = AtomicFiles.read(file);
        return bytes == null ? now.isEmpty() : now.isPresent() && java.util.Arrays.equals(now.get(), bytes);
    }

    JsonTextEditor editor() {
        return editor;
    }

    Optional<JsonText.ObjectValue> root() {
        return editor.root().map(JsonText.ObjectValue.class::cast);
    }

    Optional<JsonText.ObjectValue> env() {
        return editor.at(ENV).map(JsonText.ObjectValue.class::cast);
    }

    /** The exact JSON source of {@code env.key}, or empty. */
    Optional<String> raw(String key) {
        return env().flatMap(env -> env.member(key)).map(member -> editor.source(member.value()));
    }

    /** The exact JSON source of the top-level member {@code name}, or empty. */
    Optional<String> rootRaw(String name) {
        return root().flatMap(root -> root.member(name)).map(member -> editor.source(member.value()));
    }

    /** The value of {@code env.key} as Claude Code would read it: a string's text, else its JSON source. */
    Optional<String> value(String key) {
        return env().flatMap(env -> env.member(key))
                .map(member -> member.value() instanceof JsonText.ScalarValue s && s.kind() == JsonText.Kind.STRING
                        ? s.string()
                        : editor.source(member.value()));
    }

    /** What is between the braces of an object. */
    String inner(JsonText.ObjectValue object) {
        return editor.text().substring(object.start() + 1, object.end() - 1);
    }
}
