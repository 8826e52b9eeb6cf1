package dev.ccr.server.service;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * Windows: a scheduled task of the user ({@code ccr}), started at the user's logon with the user's own rights, without
 * a console window ({@code javaw.exe}), restarted after a failure, never stopped for running long. Task Scheduler
 * reads its definition from an XML file in UTF-16, which is kept in ccr's folder.
 */
public final class WindowsTask implements ServicePlatform {
    static final String TASK = "ccr";

    private final Path ccrHome;
    private final String user;

    /** @param user {@code DOMAIN\\name}, as Task Scheduler names the account */
    public WindowsTask(Path ccrHome, String user) {
        this.ccrHome = ccrHome;
        this.user = user;
    }

    @Override
    public String manager() {
        return "Task Scheduler";
    }

    @Override
    public Path file() {
        return ccrHome.resolve("service").resolve("ccr-task.xml");
    }

    @Override
    public Charset charset() {
        return StandardCharsets.UTF_16;
    }

    @Override
    public String render(ServiceDefinition definition) {
        String userId = Xml.escape(user);
        String command = Xml.escape(definition.command().get(0));
        String arguments = Xml.escape(String.join(
                " ",
                definition.command().subList(1, definition.command().size()).stream()
                        .map(WindowsTask::quote)
                        .toList()));
        return """
                <?xml version="1.0" encoding="UTF-16"?>
                <!-- Written by 'ccr service install'; 'ccr service uninstall' removes it. -->
                <Task version="1.2" xmlns="http://schemas.microsoft.com/windows/2004/02/mit/task">
                  <RegistrationInfo>
                    <Description>Claude Code Router (ccr): the local router Claude Code is pointed at.</Description>
                  </RegistrationInfo>
                  <Triggers>
                    <LogonTrigger>
                      <Enabled>true</Enabled>
                      <UserId>%1$s</UserId>
                    </LogonTrigger>
                  </Triggers>
                  <Principals>
                    <Principal id="Author">
                      <UserId>%1$s</UserId>
                      <LogonType>InteractiveToken</LogonType>
                      <RunLevel>LeastPrivilege</RunLevel>
                    </Principal>
                  </Principals>
                  <Settings>
                    <MultipleInstancesPolicy>IgnoreNew</MultipleInstancesPolicy>
                    <DisallowStartIfOnBatteries>false</DisallowStartIfOnBatteries>
                    <StopIfGoingOnBatteries>false</StopIfGoingOnBatteries>
                    <ExecutionTimeLimit>PT0S</ExecutionTimeLimit>
                    <RestartOnFailure>
                      <Interval>PT1M</Interval>
                      <Count>3</Count>
                    </RestartOnFailure>
                    <Hidden>true</Hidden>
                    <Enabled>true</Enabled>
                  </Settings>
                  <Actions Context="Author">
                    <Exec>
                      <Command>%2$s</Command>
                      <Arguments>%3$s</Arguments>
                    </Exec>
                  </Actions>
                </Task>
                """
                .formatted(userId, command, arguments);
    }

    /** One argument as Windows programs split their command line: quoted when it holds a space or a quote. */
    static String quote(String word) {
        if (!word.isEmpty() && word.chars().noneMatch(c -> c == ' ' || c == '\t' || c == '"')) {
            return word;
        }
        StringBuilder quoted = new StringBuilder("\"");
        int backslashes = 0;
        for (char c : word.toCharArray()) {
            if (c == '\\') {
                backslashes++;
                continue;
            }
            quoted.append("\\".repeat(c == '"' ? backslashes * 2 + 1 : backslashes));
            backslashes = 0;
            quoted.append(c);
        }
        quoted.append("\\".repeat(backslashes * 2)).append('"');
        return quoted.toString();
    }

    @Override
    public List<List<String>> install() {
        return List.of(
                List.of("schtasks", "/Create", "/TN", TASK, "/XML", file().toString(), "/F"),
                List.of("schtasks", "/Run", "/TN", TASK));
    }

    @Override
    public List<List<String>> uninstall() {
        return List.of(List.of("schtasks", "/End", "/TN", TASK), List.of("schtasks", "/Delete", "/TN", TASK, "/F"));
    }

    @Override
    public List<String> status() {
        return List.of("schtasks", "/Query", "/TN", TASK, "/V", "/FO", "LIST");
    }

    @Override
    public String logs() {
        return "the log file given to 'ccr start --log-file' in " + file();
    }
}
