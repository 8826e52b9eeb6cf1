package dev.ccr.server.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The three service definitions, read back the way their service managers read them: the command and environment come
 * out exactly as given, spaces, quotes and special characters included.
 */
class ServiceFilesTest {
    /** Paths a real user may have: spaces, quotes, a percent sign, a dollar, XML's special characters. */
    private static final ServiceDefinition DEFINITION = new ServiceDefinition(
            List.of(
                    "/home/Jo Doe/ccr's \"tools\"/bin/ccr",
                    "start",
                    "--config",
                    "/home/Jo Doe/100% <ccr> & $HOME.json"),
            Map.of("JAVA_HOME", "/opt/java 17", "CCR_HOME", "/home/Jo Doe/.ccr"),
            Path.of("/home/Jo Doe/.claude-code-router/logs/service.log"));

    @Test
    void systemdUnit() {
        SystemdUserUnit unit = new SystemdUserUnit(Path.of("/home/jo/.config"));
        assertThat(unit.file()).isEqualTo(Path.of("/home/jo/.config/systemd/user/ccr.service"));
        String text = unit.render(DEFINITION);

        assertThat(text)
                .contains("[Unit]\nDescription=Claude Code Router (ccr)\n")
                .contains("[Service]\nType=simple\n")
                .contains("Restart=on-failure\n")
                .contains("KillSignal=SIGTERM\n")
                .contains("[Install]\nWantedBy=default.target\n");
        assertThat(SystemdWords.split(line(text, "ExecStart="))).isEqualTo(DEFINITION.command());
        List<String> environment = text.lines()
                .filter(l -> l.startsWith("Environment="))
                .map(l -> String.join("", SystemdWords.split(l.substring("Environment=".length()))))
                .toList();
        assertThat(environment).containsExactly("CCR_HOME=/home/Jo Doe/.ccr", "JAVA_HOME=/opt/java 17");
        assertThat(unit.install())
                .containsExactly(
                        List.of("systemctl", "--user", "daemon-reload"),
                        List.of("systemctl", "--user", "enable", "--now", "ccr.service"));
        assertThat(unit.uninstall().get(0)).containsExactly("systemctl", "--user", "disable", "--now", "ccr.service");
    }

    @Test
    void launchdAgent() throws Exception {
        LaunchdAgent agent = new LaunchdAgent(Path.of("/Users/jo"), 501);
        assertThat(agent.file()).isEqualTo(Path.of("/Users/jo/Library/LaunchAgents/dev.ccr.router.plist"));
        Document plist = parse(agent.render(DEFINITION).getBytes(StandardCharsets.UTF_8));
        Element dict = (Element)
                plist.getDocumentElement().getElementsByTagName("dict").item(0);

        assertThat(value(dict, "Label").getTextContent()).isEqualTo("dev.ccr.router");
        assertThat(strings(value(dict, "ProgramArguments"))).isEqualTo(DEFINITION.command());
        Element environment = value(dict, "EnvironmentVariables");
        assertThat(value(environment, "JAVA_HOME").getTextContent()).isEqualTo("/opt/java 17");
        assertThat(value(environment, "CCR_HOME").getTextContent()).isEqualTo("/home/Jo Doe/.ccr");
        assertThat(value(dict, "RunAtLoad").getTagName()).isEqualTo("true");
        assertThat(value(value(dict, "KeepAlive"), "SuccessfulExit").getTagName())
                .as("restarted after a crash, not after 'ccr stop'")
                .isEqualTo("false");
        assertThat(value(dict, "StandardErrorPath").getTextContent())
                .isEqualTo("/home/Jo Doe/.claude-code-router/logs/service.log");
        assertThat(agent.install())
                .containsExactly(List.of(
                        "launchctl", "bootstrap", "gui/501", agent.file().toString()));
        assertThat(agent.uninstall()).containsExactly(List.of("launchctl", "bootout", "gui/501/dev.ccr.router"));
    }

    @Test
    void windowsScheduledTask() throws Exception {
        WindowsTask task = new WindowsTask(Path.of("/Users/jo/.claude-code-router"), "LAPTOP\\jo");
        ServiceDefinition definition = new ServiceDefinition(
                List.of(
                        "C:\\Program Files\\Java\\jdk-17\\bin\\javaw.exe",
                        "-Xmx256m",
                        "-jar",
                        "C:\\Users\\Jo Doe\\ccr\\ccr.jar",
                        "start",
                        "--log-file",
                        "C:\\Users\\Jo Doe\\.claude-code-router\\logs\\service.log"),
                Map.of(),
                Path.of("service.log"));
        byte[] file = task.render(definition).getBytes(task.charset());
        assertThat(new String(file, 0, 2, StandardCharsets.ISO_8859_1))
                .as("UTF-16 with a byte order mark, as the XML declaration says")
                .isIn("\u00fe\u00ff", "\u00ff\u00fe");
        Document xml = parse(file);
        Element root = xml.getDocumentElement();

        assertThat(root.getTagName()).isEqualTo("Task");
        assertThat(text(root, "LogonTrigger", "UserId")).isEqualTo("LAPTOP\\jo");
        assertThat(text(root, "Principal", "LogonType")).isEqualTo("InteractiveToken");
        assertThat(text(root, "Principal", "RunLevel")).isEqualTo("LeastPrivilege");
        assertThat(text(root, "Settings", "ExecutionTimeLimit")).isEqualTo("PT0S");
        assertThat(text(root, "Exec", "Command")).isEqualTo("C:\\Program Files\\Java\\jdk-17\\bin\\javaw.exe");
        assertThat(windowsSplit(text(root, "Exec", "Arguments")))
                .isEqualTo(definition.command().subList(1, definition.command().size()));
        assertThat(task.install().get(0))
                .containsExactly(
                        "schtasks", "/Create", "/TN", "ccr", "/XML", task.file().toString(), "/F");
    }

    @Test
    void windowsQuotingSurvivesQuotesAndTrailingBackslashes() {
        for (String word : List.of("plain", "with space", "a\"quote", "C:\\dir with space\\", "", "x\\\\\"y")) {
            assertThat(windowsSplit(WindowsTask.quote(word))).as(word).containsExactly(word);
        }
    }

    private static String line(String text, String prefix) {
        return text.lines()
                .filter(l -> l.startsWith(prefix))
                .findFirst()
                .orElseThrow()
                .substring(prefix.length());
    }

    private static Document parse(byte[] bytes) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        DocumentBuilder builder = factory.newDocumentBuilder();
        return builder.parse(new ByteArrayInputStream(bytes));
    }

    /** The element after {@code <key>name</key>} in a plist dict. */
    private static Element value(Element dict, String name) {
        NodeList children = dict.getChildNodes();
        for (int i = 0; i < children.getLength(); i++) {
            if (children.item(i) instanceof Element key
                    && key.getTagName().equals("key")
                    && key.getTextContent().equals(name)) {
                for (int j = i + 1; j < children.getLength(); j++) {
                    if (children.item(j) instanceof Element value) {
                        return value;
                    }
                }
            }
        }
        throw new AssertionError("no " + name + " in the plist");
    }

    private static List<String> strings(Element array) {
        List<String> out = new ArrayList<>();
        NodeList items = array.getElementsByTagName("string");
        for (int i = 0; i < items.getLength(); i++) {
            out.add(items.item(i).getTextContent());
        }
        return out;
    }

    private static String text(Element root, String parent, String child) {
        Element outer = (Element) root.getElementsByTagName(parent).item(0);
        return outer.getElementsByTagName(child).item(0).getTextContent();
    }

    /** How Windows programs (the C runtime) split a command line into arguments. */
    static List<String> windowsSplit(String line) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inQuotes = false;
        boolean any = false;
        int i = 0;
        while (i < line.length()) {
            char c = line.charAt(i);
            if (c == '\\') {
                int n = 0;
                while (i < line.length() && line.charAt(i) == '\\') {
                    n++;
                    i++;
                }
                if (i < line.length() && line.charAt(i) == '"') {
                    word.append("\\".repeat(n / 2));
                    if (n % 2 == 1) {
                        word.append('"');
                        i++;
                    }
                } else {
                    word.append("\\".repeat(n));
                }
                any = true;
                continue;
            }
            if (c == '"') {
                inQuotes = !inQuotes;
                any = true;
            } else if ((c == ' ' || c == '\t') && !inQuotes) {
                if (any) {
                    words.add(word.toString());
                    word.setLength(0);
                    any = false;
                }
            } else {
                word.append(c);
                any = true;
            }
            i++;
        }
        if (any) {
            words.add(word.toString());
        }
        return words;
    }
}
