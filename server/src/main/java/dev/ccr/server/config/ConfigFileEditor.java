package dev.ccr.server.config;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ccr.server.files.AtomicFiles;
import dev.ccr.server.json.Json;
import dev.ccr.server.json.JsonPrinter;
import dev.ccr.server.json.JsonStyle;
import dev.ccr.server.json.JsonText;
import dev.ccr.server.json.JsonTextEditor;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Changes the config file on behalf of the editor: a change edits the file's text where it must and nowhere else
 * (formatting, key order and sections this build does not know stay as written), the result is validated exactly as
 * the router validates the file at start-up, and only a valid result is written, atomically. A file that does not
 * exist yet starts from the built-in defaults.
 */
public final class ConfigFileEditor {
    private static final int ATTEMPTS = 3;
    private static final ObjectMapper WITHOUT_NULLS =
            Json.MAPPER.copy().setSerializationInclusion(JsonInclude.Include.NON_NULL);

    /** One change to the document; throws when the document does not allow it (no such endpoint, say). */
    @FunctionalInterface
    public interface Change {
        void apply(ConfigDocument document) throws ConfigEditException;
    }

    /**
     * What a change did.
     *
     * @param written whether the file was written (false for a dry run and for a change that changed nothing)
     * @param loaded the config the changed file resolves to
     */
    public record Outcome(boolean written, ConfigLoader.Loaded loaded) {}

    private final Path file;
    private final ConfigLoader loader;
    private final Overrides overrides;

    public ConfigFileEditor(Path file, ConfigLoader loader, Overrides overrides) {
        this.file = file.toAbsolutePath();
        this.loader = loader;
        this.overrides = overrides;
    }

    public Path file() {
        return file;
    }

    /** Applies a change, validates the result and, unless {@code dryRun}, writes it. */
    public Outcome change(Change change, boolean dryRun) throws ConfigEditException {
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            Optional<byte[]> before = readBytes();
            if (before.isPresent() && ConfigLoader.formatOf(before.get()) == ConfigFormat.CLAUDE_CODE_ROUTER) {
                throw foreignFormat();
            }
            JsonTextEditor editor = editorFor(before);
            String original = editor.text();
            change.apply(new ConfigDocument(editor));
            byte[] after = editor.text().getBytes(StandardCharsets.UTF_8);
            ConfigLoader.Loaded loaded;
            try {
                loaded = loader.parse(after, file, overrides);
            } catch (ConfigException e) {
                throw new ConfigEditException(
                        ConfigEditException.Kind.INVALID,
                        "the change was not applied: " + e.getMessage(),
                        e.problems());
            }
            boolean changed = before.isEmpty() || !editor.text().equals(original);
            if (dryRun || !changed) {
                return new Outcome(false, loaded);
            }
            try {
                if (!Arrays.equals(readBytes().orElse(null), before.orElse(null))) {
                    continue; // edited by someone else meanwhile: redo the change on their version
                }
                AtomicFiles.write(file, after, null);
            } catch (IOException e) {
                throw new ConfigEditException(
                        ConfigEditException.Kind.WRITE_FAILED, "cannot write " + file + ": " + e.getMessage());
            }
            return new Outcome(true, loaded);
        }
        throw new ConfigEditException(
                ConfigEditException.Kind.WRITE_FAILED, file + " kept changing while it was being updated; try again");
    }

    /** Validates complete config text without writing or applying it. */
    public ConfigLoader.Loaded validate(String text) throws ConfigException {
        return loader.parse(text.getBytes(StandardCharsets.UTF_8), file, overrides);
    }

    private Optional<byte[]> readBytes() throws ConfigEditException {
        try {
            return AtomicFiles.read(file);
        } catch (IOException e) {
            throw new ConfigEditException(
                    ConfigEditException.Kind.UNREADABLE,
                    "cannot read " + file + ": " + e.getMessage(),
                    List.of(new ConfigProblem(file.toString(), 0, 0, null, "cannot read the file: " + e.getMessage())));
        }
    }

    private JsonTextEditor editorFor(Optional<byte[]> bytes) throws ConfigEditException {
        String text = bytes.isPresent() ? decode(bytes.get()) : defaultsText();
        try {
            JsonTextEditor editor = new JsonTextEditor(text);
            if (editor.root().isPresent() && editor.root().get() instanceof JsonText.ObjectValue) {
                return editor;
            }
            throw unreadable(1, 1, editor.root().isEmpty() ? "the file is empty" : "the config must be a JSON object");
        } catch (JsonText.SyntaxException e) {
            throw unreadable(e.line(), e.column(), "invalid JSON: " + e.reason());
        }
    }

    /**
     * Edits are made in ccr's own format; writing ccr's keys into a claude-code-router file would leave a file that
     * is neither.
     */
    private ConfigEditException foreignFormat() {
        ConfigProblem problem = new ConfigProblem(
                file.toString(),
                0,
                0,
                null,
                "this file is in claude-code-router's format, which ccr reads but does not edit; run 'ccr config"
                        + " migrate' to rewrite it in ccr's format (the original is kept), then change it here");
        return new ConfigEditException(ConfigEditException.Kind.UNREADABLE, problem.format(), List.of(problem));
    }

    private String decode(byte[] bytes) throws ConfigEditException {
        try {
            return JsonText.decodeUtf8(bytes);
        } catch (CharacterCodingException e) {
            throw unreadable(0, 0, "the file is not UTF-8 text");
        }
    }

    private ConfigEditException unreadable(int line, int column, String what) {
        ConfigProblem problem = new ConfigProblem(file.toString(), line, column, null, what);
        return new ConfigEditException(
                ConfigEditException.Kind.UNREADABLE,
                problem.format() + "; fix the file first (it was not changed)",
                List.of(problem));
    }

    /** The built-in defaults as a file, so the first change made without a file keeps them. */
    static String defaultsText() {
        JsonNode tree = WITHOUT_NULLS.valueToTree(ConfigLoader.builtIn());
        return JsonPrinter.print(tree, JsonStyle.DEFAULT, "") + "\n";
    }
}
