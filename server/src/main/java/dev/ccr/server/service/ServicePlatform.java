package dev.ccr.server.service;

import java.nio.charset.Charset;
import java.nio.file.Path;
import java.util.List;

/**
 * A service manager that starts the router at login: where its definition goes, what it says, and the commands that
 * register, remove and describe it. Only the commands touch the system, so the files can be checked on any platform.
 */
public interface ServicePlatform {
    /** The service manager's name, for messages ({@code "systemd"}, {@code "launchd"}, {@code "Task Scheduler"}). */
    String manager();

    /** Where the definition file goes. */
    Path file();

    /** The definition file's text. */
    String render(ServiceDefinition definition);

    /** How the file is written. */
    default Charset charset() {
        return java.nio.charset.StandardCharsets.UTF_8;
    }

    /** Commands that register the written file and start the router now; run in order, each must succeed. */
    List<List<String>> install();

    /** Commands that stop the router and unregister it; failures are reported but do not stop the removal. */
    List<List<String>> uninstall();

    /** A command whose output describes the service's state. */
    List<String> status();

    /** Where the router's output can be read, for messages. */
    String logs();
}
