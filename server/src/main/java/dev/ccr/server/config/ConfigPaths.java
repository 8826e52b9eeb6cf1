package dev.ccr.server.config;

import java.nio.file.Path;

/**
 * Where ccr keeps its files: {@code ~/.claude-code-router}, or {@code $CCR_HOME} when set. The home directory is
 * {@code $HOME} when set, like Claude Code (Node's {@code os.homedir()}) resolves it; the JVM's {@code user.home}
 * comes from the password database instead and would disagree under a changed {@code HOME}.
 */
public final class ConfigPaths {
    private final Path home;

    public ConfigPaths(Path home) {
        this.home = home;
    }

    public static ConfigPaths fromEnvironment() {
        String override = System.getenv("CCR_HOME");
        if (override != null && !override.isBlank()) {
            return new ConfigPaths(Path.of(override));
        }
        return new ConfigPaths(userHome().resolve(".claude-code-router"));
    }

    /** The user's home directory as Claude Code sees it. */
    public static Path userHome() {
        String home = System.getenv("HOME");
        return Path.of(home != null && !home.isBlank() ? home : System.getProperty("user.home"));
    }

    public Path home() {
        return home;
    }

    public Path configFile() {
        return home.resolve("config.json");
    }

    /** One state file per running instance, named by port, so several can run side by side. */
    public Path runDirectory() {
        return home.resolve("run");
    }

    public Path logDirectory() {
        return home.resolve("logs");
    }
}
