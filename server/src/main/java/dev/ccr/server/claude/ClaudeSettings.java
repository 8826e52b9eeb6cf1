package dev.ccr.server.claude;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.ccr.protocol.claude.ClaudeKeyInfo;
import dev.ccr.protocol.claude.ClaudeModels;
import dev.ccr.protocol.claude.ClaudeSettingsResult;
import dev.ccr.protocol.claude.KeyState;
import dev.ccr.protocol.claude.SettingsOverride;
import dev.ccr.protocol.claude.SettingsScope;
import dev.ccr.protocol.status.RoutingState;
import dev.ccr.server.config.ConfigPaths;
import dev.ccr.server.files.AtomicFiles;
import dev.ccr.server.files.FileLock;
import dev.ccr.server.json.JsonPrinter;
import dev.ccr.server.json.JsonText;
import dev.ccr.server.json.JsonTextEditor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Turns routing through the router on and off in Claude Code's user settings file (README, "Point Claude Code at it"), for
 * {@code ccr claude enable|disable|status} and the editor alike.
 *
 * <p>Only the router's keys in {@code env} change; every other byte of the file stays. Before a change, the journal
 * records what each key held (its exact JSON source) and which values the router wrote; turning routing off puts back
 * exactly what was there, and leaves any key whose value the user changed in between. Because the journal is written
 * first and a value counts as the router's only while it is one the router wrote, a crash at any point leaves a state
 * from which both {@code enable} and {@code disable} do the right thing. All of this runs under a lock shared with other
 * ccr processes.
 */
public final class ClaudeSettings {
    private static final int ATTEMPTS = 3;
    /** Claude Code's setting for a command whose output is the status line under the prompt. */
    static final String STATUS_LINE = "statusLine";

    /** Points in a change where a test can stop it, as a crash would. */
    interface Checkpoints {
        Checkpoints NONE = new Checkpoints() {};

        default void journalWritten() {}

        default void settingsWritten() {}
    }

    private final ClaudePaths paths;
    private final SettingsJournal journal;
    private final Path lockFile;
    private final Checkpoints checkpoints;

    public ClaudeSettings(ClaudePaths paths, ConfigPaths ccrPaths) {
        this(
                paths,
                ccrPaths.home().resolve("claude-settings-journal.json"),
                ccrPaths.home().resolve("claude-settings.lock"),
                Checkpoints.NONE);
    }

    ClaudeSettings(ClaudePaths paths, Path journalFile, Path lockFile, Checkpoints checkpoints) {
        this.paths = paths;
        this.journal = new SettingsJournal(journalFile);
        this.lockFile = lockFile;
        this.checkpoints = checkpoints;
    }

    public Path userSettings() {
        return paths.userSettings();
    }

    /** What is set now and which files win; changes nothing. */
    public ClaudeSettingsResult status(ClientEnvironment target, List<Path> projectDirs)
            throws ClaudeSettingsException {
        SettingsText settings = SettingsText.read(paths.userSettings());
        SettingsJournal.Entry entry = journal.read().files().get(key());
        return report(target, settings, entry, projectDirs, List.of(), List.of(), null);
    }

    /** Routing on: writes the router's values, recording first what they replace. */
    public ClaudeSettingsResult enable(ClientEnvironment target, ClaudeModels models, List<Path> projectDirs)
            throws ClaudeSettingsException {
        return enable(target, models, projectDirs, null);
    }

    /**
     * Routing on, also offering a status line: {@code statusLineCommand} becomes Claude Code's {@code statusLine}
     * where the user has none (one the router set before is kept up to date; the user's own is never touched).
     */
    @SuppressWarnings("try") // the lock is held for the block, never used in it
    public ClaudeSettingsResult enable(
            ClientEnvironment target, ClaudeModels models, List<Path> projectDirs, String statusLineCommand)
            throws ClaudeSettingsException {
        try (FileLock lock = lock()) {
            for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
                SettingsText settings = SettingsText.read(paths.userSettings());
                SettingsJournal.Contents contents = journal.read();
                SettingsJournal.Entry entry = withCurrentShape(contents.files().get(key()), settings);
                Map<String, String> wanted = wantedValues(target, models, settings, entry);
                Map<String, SettingsJournal.KeyRecord> keys = new LinkedHashMap<>(entry.keys());
                List<String> changed = new ArrayList<>();
                wanted.forEach((name, value) -> {
                    String current = settings.raw(name).orElse(null);
                    String written = JsonPrinter.quote(value);
                    SettingsJournal.KeyRecord record = keys.get(name);
                    boolean ours =
                            record != null && current != null && record.owned().contains(current);
                    List<String> owned =
                            ours && !current.equals(written) ? List.of(current, written) : List.of(written);
                    keys.put(name, new SettingsJournal.KeyRecord(ours ? record.prior() : current, owned));
                    if (!written.equals(current)) {
                        changed.add(name);
                    }
                });
                String statusNow = settings.rootRaw(STATUS_LINE).orElse(null);
                SettingsJournal.KeyRecord status = entry.statusLine();
                boolean statusOurs =
                        status != null && statusNow != null && status.owned().contains(statusNow);
                String statusWanted = statusLineCommand == null ? null : statusLine(statusLineCommand);
                boolean writeStatus =
                        statusWanted != null && (statusNow == null || statusOurs) && !statusWanted.equals(statusNow);
                if (writeStatus) {
                    status = new SettingsJournal.KeyRecord(
                            null, statusOurs ? List.of(statusNow, statusWanted) : List.of(statusWanted));
                    changed.add(STATUS_LINE);
                }
                SettingsJournal.Entry next = new SettingsJournal.Entry(
                        entry.priorFile(),
                        entry.blankText(),
                        entry.envCreated(),
                        entry.envInner(),
                        entry.rootInner(),
                        keys,
                        status);
                contents.files().put(key(), next);
                journal.write(contents);
                checkpoints.journalWritten();

                JsonTextEditor editor = settings.editor();
                if (!changed.isEmpty() && settings.env().isEmpty()) {
                    editor.put(List.of(), "env", JsonNodeFactory.instance.objectNode());
                }
                for (String name : changed) {
                    if (name.equals(STATUS_LINE)) {
                        editor.ensureRootObject();
                        editor.putRaw(List.of(), STATUS_LINE, statusWanted);
                    } else {
                        editor.putRaw(SettingsText.ENV, name, JsonPrinter.quote(wanted.get(name)));
                    }
                }
                // A feature switch the router set before and no longer wants (the default route is not all
                // Anthropic any more) goes back to what it was.
                for (String name : ClaudeEnv.FEATURES) {
                    SettingsJournal.KeyRecord record = keys.get(name);
                    if (!wanted.containsKey(name) && record != null && ours(name, settings, entry)) {
                        if (record.prior() == null) {
                            editor.removeMember(
                                    SettingsText.ENV, name, Objects.requireNonNullElse(entry.envInner(), ""));
                        } else {
                            editor.putRaw(SettingsText.ENV, name, record.prior());
                        }
                        changed.add(name);
                    }
                }
                if (!changed.isEmpty() && !writeIfUnchanged(settings, editor.text())) {
                    continue;
                }
                checkpoints.settingsWritten();
                SettingsText after = SettingsText.read(paths.userSettings());
                return report(target, after, next, projectDirs, changed, List.of(), enabledMessage(target, changed));
            }
            throw keptChanging();
        } catch (IOException e) {
            throw writeFailed(e);
        }
    }

    /** Routing off: puts back what the router replaced, except what the user changed since. */
    @SuppressWarnings("try") // the lock is held for the block, never used in it
    public ClaudeSettingsResult disable(ClientEnvironment target, List<Path> projectDirs)
            throws ClaudeSettingsException {
        try (FileLock lock = lock()) {
            for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
                SettingsJournal.Contents contents = journal.read();
                SettingsJournal.Entry entry = contents.files().get(key());
                SettingsText settings = SettingsText.read(paths.userSettings());
                if (entry == null) {
                    return report(
                            target,
                            settings,
                            null,
                            projectDirs,
                            List.of(),
                            List.of(),
                            "routing was not turned on by ccr; nothing to restore");
                }
                List<String> restored = new ArrayList<>();
                List<String> kept = new ArrayList<>();
                if (!settings.missing()) {
                    String before = settings.editor().text();
                    String text = restoredText(settings, entry, restored, kept);
                    if (text == null) {
                        if (!deleteIfUnchanged(settings)) {
                            continue;
                        }
                    } else if (!text.equals(before) && !writeIfUnchanged(settings, text)) {
                        continue;
                    }
                } else {
                    kept.addAll(entry.keys().keySet());
                }
                checkpoints.settingsWritten();
                contents.files().remove(key());
                journal.write(contents);
                SettingsText after = SettingsText.read(paths.userSettings());
                return report(
                        target, after, null, projectDirs, restored, kept, disabledMessage(settings, restored, kept));
            }
            throw keptChanging();
        } catch (IOException e) {
            throw writeFailed(e);
        }
    }

    /** Whether Claude Code uses this router, for the editor's status; an unreadable file means it does not. */
    public RoutingState routing(ClientEnvironment target, List<Path> projectDirs) {
        String user;
        try {
            user = SettingsText.read(paths.userSettings())
                    .value(ClaudeEnv.BASE_URL)
                    .orElse(null);
        } catch (ClaudeSettingsException e) {
            return RoutingState.OFF;
        }
        String effective = user;
        for (ClaudePaths.SettingsFile file : paths.overridingFiles(projectDirs)) {
            String value = SettingsText.envStrings(file.path()).get(ClaudeEnv.BASE_URL);
            if (value != null) {
                effective = value;
                break;
            }
        }
        if (target.baseUrl().equals(effective)) {
            return RoutingState.ON;
        }
        return target.baseUrl().equals(user) ? RoutingState.OVERRIDDEN : RoutingState.OFF;
    }

    private String restoredText(
            SettingsText settings, SettingsJournal.Entry entry, List<String> restored, List<String> kept) {
        JsonTextEditor editor = settings.editor();
        entry.keys().forEach((name, record) -> {
            String current = settings.raw(name).orElse(null);
            if (current != null && record.owned().contains(current)) {
                if (record.prior() == null) {
                    editor.removeMember(SettingsText.ENV, name, Objects.requireNonNullElse(entry.envInner(), ""));
                } else {
                    editor.putRaw(SettingsText.ENV, name, record.prior());
                }
                restored.add(name);
            } else if (!Objects.equals(current, record.prior())) {
                kept.add(name);
            }
        });
        SettingsJournal.KeyRecord status = entry.statusLine();
        String statusNow = settings.rootRaw(STATUS_LINE).orElse(null);
        if (status != null && statusNow != null && status.owned().contains(statusNow)) {
            editor.removeMember(List.of(), STATUS_LINE, Objects.requireNonNullElse(entry.rootInner(), ""));
            restored.add(STATUS_LINE);
        }
        boolean envEmpty = settings.env().map(env -> env.members().isEmpty()).orElse(false);
        if (entry.envCreated() && envEmpty) {
            editor.removeMember(List.of(), "env", Objects.requireNonNullElse(entry.rootInner(), ""));
        }
        boolean rootEmpty =
                settings.root().map(root -> root.members().isEmpty()).orElse(true);
        if (entry.priorFile() == SettingsJournal.PriorFile.BLANK && rootEmpty) {
            return entry.blankText();
        }
        if (entry.priorFile() == SettingsJournal.PriorFile.MISSING
                && rootEmpty
                && !Files.isSymbolicLink(settings.file())) {
            return null; // there was no file: there is none again
        }
        return editor.text();
    }

    /**
     * The journal entry to build on, updated with what the file looks like now where the user may have changed it
     * since routing was turned on: an {@code env} that is gone will be created by the router (and removed again once
     * empty); an empty {@code env} or root object, or a missing or blank file, is restored as it is now. An {@code env}
     * the router created stays the router's while it is there, even when the user emptied it.
     */
    private static SettingsJournal.Entry withCurrentShape(SettingsJournal.Entry entry, SettingsText settings) {
        boolean fresh = entry == null;
        Optional<JsonText.ObjectValue> env = settings.env();
        Optional<JsonText.ObjectValue> root = settings.root();
        Optional<String> emptyEnv = env.filter(e -> e.members().isEmpty()).map(settings::inner);
        Optional<String> emptyRoot = root.filter(r -> r.members().isEmpty()).map(settings::inner);
        SettingsJournal.PriorFile file = settings.missing()
                ? SettingsJournal.PriorFile.MISSING
                : settings.blank() ? SettingsJournal.PriorFile.BLANK : SettingsJournal.PriorFile.PRESENT;
        boolean fileNow = fresh || file != SettingsJournal.PriorFile.PRESENT;
        return new SettingsJournal.Entry(
                fileNow ? file : entry.priorFile(),
                fileNow
                        ? (file == SettingsJournal.PriorFile.BLANK
                                ? settings.editor().text()
                                : null)
                        : entry.blankText(),
                env.isEmpty() || (!fresh && entry.envCreated()),
                emptyEnv.orElse(fresh ? null : entry.envInner()),
                emptyRoot.orElse(fresh ? null : entry.rootInner()),
                fresh ? Map.of() : entry.keys(),
                fresh ? null : entry.statusLine());
    }

    /**
     * The values to write: the base URL; the router token, or when the router needs none, the placeholder unless the
     * user has a token of their own there (it is then forwarded as their Anthropic key, so it stays); the models asked
     * for.
     */
    private static Map<String, String> wantedValues(
            ClientEnvironment target, ClaudeModels models, SettingsText settings, SettingsJournal.Entry entry) {
        Map<String, String> wanted = new LinkedHashMap<>();
        wanted.put(ClaudeEnv.BASE_URL, target.baseUrl());
        if (target.routerToken() != null) {
            wanted.put(ClaudeEnv.AUTH_TOKEN, target.routerToken());
        } else {
            Optional<String> current = settings.raw(ClaudeEnv.AUTH_TOKEN);
            SettingsJournal.KeyRecord record = entry.keys().get(ClaudeEnv.AUTH_TOKEN);
            boolean ours =
                    current.isPresent() && record != null && record.owned().contains(current.get());
            if (current.isEmpty() || ours) {
                wanted.put(ClaudeEnv.AUTH_TOKEN, ClaudeEnv.PLACEHOLDER_TOKEN);
            }
        }
        wanted.putAll(ClaudeEnv.models(models));
        // Feature switches only where the user has not set them: their own choice (say tool search off) stands.
        target.features().forEach((name, value) -> {
            if (!wanted.containsKey(name) && (settings.raw(name).isEmpty() || ours(name, settings, entry))) {
                wanted.put(name, value);
            }
        });
        return wanted;
    }

    private static boolean deleteIfUnchanged(SettingsText settings) throws IOException {
        if (!settings.unchangedOnDisk()) {
            return false;
        }
        Files.deleteIfExists(settings.file());
        return true;
    }

    /** The {@code statusLine} value for a command, as one line of JSON. */
    static String statusLine(String command) {
        return "{\"type\": \"command\", \"command\": " + JsonPrinter.quote(command) + ", \"padding\": 0}";
    }

    /** Whether {@code env.name} holds a value the router wrote. */
    private static boolean ours(String name, SettingsText settings, SettingsJournal.Entry entry) {
        Optional<String> current = settings.raw(name);
        SettingsJournal.KeyRecord record = entry.keys().get(name);
        return current.isPresent() && record != null && record.owned().contains(current.get());
    }

    private boolean writeIfUnchanged(SettingsText settings, String text) throws IOException {
        // Claude Code rewrites this file itself (permissions, preferences): never overwrite a change made since it
        // was read; read it again and redo the edit instead.
        if (!settings.unchangedOnDisk()) {
            return false;
        }
        // Under the settings lock no other ccr is writing the file: any temporary file next to it is a leftover.
        AtomicFiles.removeLeftovers(settings.file(), java.time.Duration.ZERO);
        AtomicFiles.write(settings.file(), text.getBytes(StandardCharsets.UTF_8), null);
        return true;
    }

    private ClaudeSettingsResult report(
            ClientEnvironment target,
            SettingsText settings,
            SettingsJournal.Entry entry,
            List<Path> projectDirs,
            List<String> changed,
            List<String> kept,
            String message) {
        List<ClaudePaths.SettingsFile> overriding = paths.overridingFiles(projectDirs);
        Map<ClaudePaths.SettingsFile, Map<String, String>> overridingValues = new LinkedHashMap<>();
        overriding.forEach(file -> overridingValues.put(file, SettingsText.envStrings(file.path())));

        List<ClaudeKeyInfo> keys = new ArrayList<>();
        List<SettingsOverride> overrides = new ArrayList<>();
        for (String name : ClaudeEnv.KEYS) {
            Optional<String> raw = settings.raw(name);
            KeyState state = raw.isEmpty()
                    ? KeyState.ABSENT
                    : entry != null
                                    && entry.keys().containsKey(name)
                                    && entry.keys().get(name).owned().contains(raw.get())
                            ? KeyState.ROUTER
                            : KeyState.USER;
            String userValue = settings.value(name).orElse(null);
            SettingsScope scope = raw.isPresent() ? SettingsScope.USER : null;
            String file = raw.isPresent() ? paths.userSettings().toString() : null;
            for (var candidate : overridingValues.entrySet()) {
                String value = candidate.getValue().get(name);
                if (value == null) {
                    continue;
                }
                if (scope == null || scope == SettingsScope.USER) {
                    scope = candidate.getKey().scope();
                    file = candidate.getKey().path().toString();
                }
                String routerValue = name.equals(ClaudeEnv.BASE_URL) ? target.baseUrl() : userValue;
                overrides.add(new SettingsOverride(
                        candidate.getKey().path().toString(),
                        candidate.getKey().scope(),
                        name,
                        value.equals(routerValue)));
            }
            if (state == KeyState.ABSENT
                    && scope == null
                    && !name.equals(ClaudeEnv.BASE_URL)
                    && !name.equals(ClaudeEnv.AUTH_TOKEN)) {
                continue; // unset model variables are noise
            }
            keys.add(new ClaudeKeyInfo(name, state, ClaudeEnv.isSecret(name) ? null : userValue, scope, file));
        }
        boolean enabled =
                keys.stream().anyMatch(k -> k.name().equals(ClaudeEnv.BASE_URL) && k.state() == KeyState.ROUTER);
        String summary = message != null ? message : statusMessage(target, enabled, settings);
        String conflicts = overrides.stream()
                .filter(o -> !o.sameAsRouter())
                .map(o -> o.file() + " sets " + o.key())
                .distinct()
                .reduce((a, b) -> a + ", " + b)
                .map(list -> "; but " + list + ", which wins there")
                .orElse("");
        return new ClaudeSettingsResult(
                paths.userSettings().toString(),
                enabled,
                target.baseUrl(),
                keys,
                overrides,
                List.copyOf(changed),
                List.copyOf(kept),
                summary + conflicts);
    }

    private static String statusMessage(ClientEnvironment target, boolean enabled, SettingsText settings) {
        Optional<String> baseUrl = settings.value(ClaudeEnv.BASE_URL);
        if (enabled && baseUrl.filter(target.baseUrl()::equals).isPresent()) {
            return "routing is on: Claude Code uses " + target.baseUrl();
        }
        if (enabled) {
            return "routing is on, but Claude Code is set to " + baseUrl.orElse("") + " while this router listens on "
                    + target.baseUrl() + "; enable it again to update";
        }
        if (baseUrl.filter(target.baseUrl()::equals).isPresent()) {
            return "routing is on (ANTHROPIC_BASE_URL was set to this router outside ccr)";
        }
        return "routing is off"
                + baseUrl.map(url -> ": Claude Code is set to " + url).orElse("");
    }

    private static String enabledMessage(ClientEnvironment target, List<String> changed) {
        return changed.isEmpty()
                ? "routing was already on: Claude Code uses " + target.baseUrl()
                : "routing on: Claude Code now uses " + target.baseUrl() + " (running sessions pick it up)";
    }

    private static String disabledMessage(SettingsText before, List<String> restored, List<String> kept) {
        if (before.missing()) {
            return "routing off: " + before.file() + " no longer exists, so there was nothing to restore";
        }
        StringBuilder message = new StringBuilder("routing off");
        message.append(restored.isEmpty() ? ": nothing needed restoring" : ": restored " + String.join(", ", restored));
        if (!kept.isEmpty()) {
            message.append("; kept ")
                    .append(String.join(", ", kept))
                    .append(", which you changed after routing was turned on");
        }
        if (!restored.isEmpty()) {
            message.append("; restart running Claude Code sessions (they keep removed variables until then)");
        }
        return message.toString();
    }

    private FileLock lock() throws ClaudeSettingsException {
        try {
            return FileLock.acquire(lockFile);
        } catch (IOException e) {
            throw writeFailed(e);
        }
    }

    private String key() {
        return paths.userSettings().toString();
    }

    private ClaudeSettingsException writeFailed(IOException e) {
        return new ClaudeSettingsException(
                ClaudeSettingsException.Kind.WRITE_FAILED,
                "cannot write " + paths.userSettings() + ": " + e.getMessage(),
                e);
    }

    private ClaudeSettingsException keptChanging() {
        return new ClaudeSettingsException(
                ClaudeSettingsException.Kind.WRITE_FAILED,
                paths.userSettings() + " kept changing while ccr tried to update it; try again",
                null);
    }
}
