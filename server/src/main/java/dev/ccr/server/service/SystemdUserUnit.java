package dev.ccr.server.service;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Linux: a systemd user unit, {@code ~/.config/systemd/user/ccr.service}, enabled for the user's login and started at
 * once. The router logs to stderr, which the journal keeps ({@code journalctl --user -u ccr}); systemd stops it with
 * SIGTERM, on which it lets requests in flight finish, and restarts it after a crash.
 */
public final class SystemdUserUnit implements ServicePlatform {
    static final String UNIT = "ccr.service";

    private final Path configHome;

    /** @param configHome {@code $XDG_CONFIG_HOME}, or {@code ~/.config} */
    public SystemdUserUnit(Path configHome) {
        this.configHome = configHome;
    }

    @Override
    public String manager() {
        return "systemd";
    }

    @Override
    public Path file() {
        return configHome.resolve("systemd").resolve("user").resolve(UNIT);
    }

    @Override
    public String render(ServiceDefinition definition) {
        StringBuilder unit = new StringBuilder();
        unit.append("# Written by 'ccr service install'; 'ccr service uninstall' removes it.\n");
        unit.append("[Unit]\n");
        unit.append("Description=Claude Code Router (ccr)\n");
        unit.append("After=network-online.target\n\n");
        unit.append("[Service]\n");
        unit.append("Type=simple\n");
        unit.append("ExecStart=").append(execLine(definition.command())).append('\n');
        for (Map.Entry<String, String> variable : new TreeMap<>(definition.environment()).entrySet()) {
            unit.append("Environment=")
                    .append(quote(variable.getKey() + "=" + variable.getValue()))
                    .append('\n');
        }
        unit.append("Restart=on-failure\n");
        unit.append("RestartSec=5\n");
        unit.append("KillSignal=SIGTERM\n");
        unit.append("TimeoutStopSec=30\n\n");
        unit.append("[Install]\n");
        unit.append("WantedBy=default.target\n");
        return unit.toString();
    }

    /** The command line as systemd reads {@code ExecStart}: each word quoted, so spaces and quotes survive. */
    static String execLine(List<String> command) {
        return String.join(" ", command.stream().map(SystemdUserUnit::quote).toList());
    }

    /**
     * One word in systemd's syntax: double quotes, with backslash and quote escaped; {@code %} (a specifier) doubled;
     * {@code $} (a variable) doubled.
     */
    static String quote(String word) {
        String escaped = word.replace("\\", "\\\\")
                .replace("\"", "\\\"")
                .replace("%", "%%")
                .replace("$", "$$");
        return "\"" + escaped + "\"";
    }

    @Override
    public List<List<String>> install() {
        return List.of(
                List.of("systemctl", "--user", "daemon-reload"),
                List.of("systemctl", "--user", "enable", "--now", UNIT));
    }

    @Override
    public List<List<String>> uninstall() {
        return List.of(
                List.of("systemctl", "--user", "disable", "--now", UNIT),
                List.of("systemctl", "--user", "daemon-reload"));
    }

    @Override
    public List<String> status() {
        return List.of("systemctl", "--user", "--no-pager", "status", UNIT);
    }

    @Override
    public String logs() {
        return "journalctl --user -u ccr";
    }
}
