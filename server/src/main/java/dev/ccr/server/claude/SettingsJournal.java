package dev.ccr.server.claude;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.ccr.server.files.AtomicFiles;
import dev.ccr.server.json.Json;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the router changed in Claude Code settings files, written before each change so that routing can be turned off
 * exactly, even after a crash between recording and writing. Kept in {@code ~/.claude-code-router}, readable by the
 * owner only (it holds the values it replaced, which may be credentials).
 *
 * <p>Values are kept as their exact JSON source text, so a restored value has the same bytes (escapes included) as the
 * one that was replaced.
 */
final class SettingsJournal {
    static final int VERSION = 1;

    /** The journal file: one entry per settings file the router has changed. */
    record Contents(int version, Map<String, Entry> files) {
        Contents {
            files = files == null ? new LinkedHashMap<>() : new LinkedHashMap<>(files);
        }
    }

    /** What the settings file was like before the first change. */
    enum PriorFile {
        /** It did not exist. */
        MISSING,
        /** It held only whitespace ({@code blankText}). */
        BLANK,
        /** It held a JSON object. */
        PRESENT
    }

    /**
     * The record of one settings file.
     *
     * @param blankText the file's text when it was {@link PriorFile#BLANK}, restored when nothing else is left
     * @param envCreated whether the router added the {@code env} object (it is removed again once empty)
     * @param envInner what was between the braces of an {@code env} that existed but was empty
     * @param rootInner what was between the braces of a root object that existed but was empty
     * @param keys per variable the router owns
     * @param statusLine the top-level {@code statusLine} the router set ({@code ccr statusline}), or {@code null}
     */
    record Entry(
            PriorFile priorFile,
            String blankText,
            boolean envCreated,
            String envInner,
            String rootInner,
            Map<String, KeyRecord> keys,
            KeyRecord statusLine) {
        Entry {
            keys = keys == null ? new LinkedHashMap<>() : new LinkedHashMap<>(keys);
        }
    }

    /**
     * One variable.
     *
     * @param prior the JSON source of the value before the router set it, or {@code null} when it was absent
     * @param owned the JSON sources of values the router wrote and that still count as the router's: the latest, and
     *     the previous one while a change is under way (so a crash between journal and settings leaves both known)
     */
    record KeyRecord(String prior, List<String> owned) {
        KeyRecord {
            owned = owned == null ? List.of() : List.copyOf(owned);
        }

        @Override
        public String toString() {
            return "KeyRecord[prior=" + (prior == null ? "absent" : "***") + ", owned=" + owned.size() + "]";
        }
    }

    private final Path file;

    SettingsJournal(Path file) {
        this.file = file;
    }

    Contents read() throws ClaudeSettingsException {
        try {
            Optional<byte[]> bytes = AtomicFiles.read(file);
            if (bytes.isEmpty()) {
                return new Contents(VERSION, Map.of());
            }
            return Json.MAPPER.readValue(bytes.get(), Contents.class);
        } catch (JsonProcessingException e) {
            throw new ClaudeSettingsException(
                    ClaudeSettingsException.Kind.UNREADABLE,
                    file + " is damaged (" + e.getOriginalMessage() + "); move it away to start afresh (ccr will then"
                            + " not know what it changed in Claude Code's settings)",
                    null);
        } catch (IOException e) {
            throw new ClaudeSettingsException(
                    ClaudeSettingsException.Kind.WRITE_FAILED, "cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    void write(Contents contents) throws ClaudeSettingsException {
        try {
            AtomicFiles.write(
                    file,
                    Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(contents),
                    AtomicFiles.PRIVATE);
        } catch (IOException e) {
            throw new ClaudeSettingsException(
                    ClaudeSettingsException.Kind.WRITE_FAILED,
                    "cannot write " + file + " (" + e.getMessage() + "); Claude Code's settings were not changed",
                    e);
        }
    }
}
