package dev.ccr.server.claude;

import dev.ccr.protocol.claude.SettingsScope;
import dev.ccr.server.config.ConfigPaths;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * Where Claude Code keeps its settings files, resolved as Claude Code resolves them: the user file in
 * {@code $CLAUDE_CONFIG_DIR} or else {@code $HOME/.claude}; per project {@code .claude/settings.local.json} and
 * {@code .claude/settings.json}; managed settings in a system-wide place that depends on the OS.
 */
public final class ClaudePaths {
    /** A settings file and which kind it is. */
    public record SettingsFile(Path path, SettingsScope scope) {}

    private final Path userSettings;
    private final Path managedSettings;

    public ClaudePaths(Path userSettings, Path managedSettings) {
        this.userSettings = userSettings.toAbsolutePath();
        this.managedSettings = managedSettings;
    }

    public static ClaudePaths fromEnvironment() {
        return of(System::getenv, System.getProperty("os.name", ""));
    }

    static ClaudePaths of(Function<String, String> environment, String osName) {
        String configDir = environment.apply("CLAUDE_CONFIG_DIR");
        String home = environment.apply("HOME");
        Path homeDir = home != null && !home.isBlank() ? Path.of(home) : ConfigPaths.userHome();
        Path dir = configDir != null && !configDir.isBlank() ? Path.of(configDir) : homeDir.resolve(".claude");
        return new ClaudePaths(dir.resolve("settings.json"), managedFor(osName, environment));
    }

    private static Path managedFor(String osName, Function<String, String> environment) {
        String os = osName.toLowerCase(Locale.ROOT);
        if (os.contains("mac")) {
            return Path.of("/Library/Application Support/ClaudeCode/managed-settings.json");
        }
        if (os.contains("win")) {
            String programData = environment.apply("ProgramData");
            return Path.of(
                    programData != null ? programData : "C:\\ProgramData", "ClaudeCode", "managed-settings.json");
        }
        return Path.of("/etc/claude-code/managed-settings.json");
    }

    /** The user settings file, where the router writes. */
    public Path userSettings() {
        return userSettings;
    }

    /** The files that win over the user settings, the strongest first: managed, then each project's local and shared. */
    public List<SettingsFile> overridingFiles(List<Path> projectDirs) {
        java.util.ArrayList<SettingsFile> files = new java.util.ArrayList<>();
        if (managedSettings != null) {
            files.add(new SettingsFile(managedSettings, SettingsScope.MANAGED));
        }
        for (Path dir : projectDirs) {
            Path claude = dir.toAbsolutePath().resolve(".claude");
            files.add(new SettingsFile(claude.resolve("settings.local.json"), SettingsScope.LOCAL));
        }
        for (Path dir : projectDirs) {
            Path claude = dir.toAbsolutePath().resolve(".claude");
            files.add(new SettingsFile(claude.resolve("settings.json"), SettingsScope.PROJECT));
        }
        return files.stream()
                .filter(f -> !f.path().toAbsolutePath().normalize().equals(userSettings.normalize()))
                .toList();
    }
}
