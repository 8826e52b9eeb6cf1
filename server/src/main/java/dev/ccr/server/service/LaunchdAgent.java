package dev.ccr.server.service;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * macOS: a launchd agent, {@code ~/Library/LaunchAgents/dev.ccr.router.plist}, loaded into the user's GUI session so it
 * runs at every login, and kept alive after a crash (not after a clean stop: {@code ccr stop} stays stopped until the
 * next login). Output goes to a log file, launchd keeping none.
 */
public final class LaunchdAgent implements ServicePlatform {
    static final String LABEL = "dev.ccr.router";

    private final Path userHome;
    private final long uid;

    public LaunchdAgent(Path userHome, long uid) {
        this.userHome = userHome;
        this.uid = uid;
    }

    @Override
    public String manager() {
        return "launchd";
    }

    @Override
    public Path file() {
        return userHome.resolve("Library").resolve("LaunchAgents").resolve(LABEL + ".plist");
    }

    @Override
    public String render(ServiceDefinition definition) {
        StringBuilder plist = new StringBuilder();
        plist.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        plist.append("<!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\"")
                .append(" \"http://www.apple.com/DTDs/PropertyList-1.0.dtd\">\n");
        plist.append("<!-- Written by 'ccr service install'; 'ccr service uninstall' removes it. -->\n");
        plist.append("<plist version=\"1.0\">\n<dict>\n");
        key(plist, "Label").append("  <string>").append(LABEL).append("</string>\n");
        key(plist, "ProgramArguments").append("  <array>\n");
        for (String word : definition.command()) {
            plist.append("    <string>").append(Xml.escape(word)).append("</string>\n");
        }
        plist.append("  </array>\n");
        if (!definition.environment().isEmpty()) {
            key(plist, "EnvironmentVariables").append("  <dict>\n");
            for (Map.Entry<String, String> variable : new TreeMap<>(definition.environment()).entrySet()) {
                plist.append("    <key>").append(Xml.escape(variable.getKey())).append("</key>\n");
                plist.append("    <string>")
                        .append(Xml.escape(variable.getValue()))
                        .append("</string>\n");
            }
            plist.append("  </dict>\n");
        }
        key(plist, "RunAtLoad").append("  <true/>\n");
        key(plist, "KeepAlive").append("  <dict>\n");
        plist.append("    <key>SuccessfulExit</key>\n    <false/>\n  </dict>\n");
        key(plist, "ProcessType").append("  <string>Background</string>\n");
        String log = Xml.escape(definition.logFile().toString());
        key(plist, "StandardOutPath").append("  <string>").append(log).append("</string>\n");
        key(plist, "StandardErrorPath").append("  <string>").append(log).append("</string>\n");
        plist.append("</dict>\n</plist>\n");
        return plist.toString();
    }

    private static StringBuilder key(StringBuilder plist, String name) {
        return plist.append("  <key>").append(name).append("</key>\n");
    }

    private String domain() {
        return "gui/" + uid;
    }

    @Override
    public List<List<String>> install() {
        return List.of(List.of("launchctl", "bootstrap", domain(), file().toString()));
    }

    @Override
    public List<List<String>> uninstall() {
        return List.of(List.of("launchctl", "bootout", domain() + "/" + LABEL));
    }

    @Override
    public List<String> status() {
        return List.of("launchctl", "print", domain() + "/" + LABEL);
    }

    @Override
    public String logs() {
        return "the log file named in " + file();
    }
}
