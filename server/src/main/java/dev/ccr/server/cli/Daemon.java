package dev.ccr.server.cli;

import dev.ccr.server.config.ConfigPaths;
import dev.ccr.server.config.EffectiveConfig;
import dev.ccr.server.runtime.RunState;
import dev.ccr.server.runtime.RunStateFiles;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Starts a router in the background: a new JVM running {@code ccr start}, detached from the terminal with
 * {@code setsid} where available, its output appended to a log file. Returns once the router is serving, or explains
 * why it did not start.
 */
final class Daemon {
    private static final long READY_TIMEOUT_MS = 20_000;

    private final ConfigPaths paths;
    private final RunStateFiles states;

    Daemon(ConfigPaths paths) {
        this.paths = paths;
        this.states = new RunStateFiles(paths.runDirectory());
    }

    /** Starts a background router for {@code config} unless one already serves its port. */
    int start(List<String> startArguments, EffectiveConfig config, PrintStream out, PrintStream err)
            throws IOException, InterruptedException {
        Optional<RunState> running = runningOn(config.port());
        if (running.isPresent()) {
            out.println("ccr is already running (pid " + running.get().pid() + ") on "
                    + running.get().baseUrl());
            return ExitCodes.OK;
        }
        Optional<RunState> started = launch(startArguments, config, err);
        if (started.isEmpty()) {
            return ExitCodes.FAILURE;
        }
        out.println("ccr started in the background (pid " + started.get().pid() + ") on "
                + started.get().baseUrl());
        out.println("logs: " + logFile(config.port()) + "    stop it with: ccr stop");
        return ExitCodes.OK;
    }

    /** The running router on a port, if any. */
    Optional<RunState> runningOn(int port) {
        return states.live().stream().filter(s -> s.port() == port).findFirst();
    }

    /** Launches a background router and waits for it; on failure, says why on {@code err}. */
    Optional<RunState> launch(List<String> startArguments, EffectiveConfig config, PrintStream err)
            throws IOException, InterruptedException {
        Files.createDirectories(paths.logDirectory());
        Path log = logFile(config.port());
        long logStart = Files.exists(log) ? Files.size(log) : 0;
        List<String> command = new ArrayList<>();
        if (new File("/usr/bin/setsid").canExecute()) {
            command.add("/usr/bin/setsid");
        }
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(Main.class.getName());
        command.add("start");
        command.addAll(startArguments);
        Process process = new ProcessBuilder(command)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectErrorStream(true)
                .start();
        long deadline = System.currentTimeMillis() + READY_TIMEOUT_MS;
        while (System.currentTimeMillis() < deadline) {
            Optional<RunState> ready = states.live().stream()
                    .filter(s -> s.pid() == process.pid() || (config.port() != 0 && s.port() == config.port()))
                    .findFirst();
            if (ready.isPresent()) {
                return ready;
            }
            if (!process.isAlive()) {
                err.println("ccr: the background router exited (status " + process.exitValue() + "):");
                err.print(tail(log, logStart));
                return Optional.empty();
            }
            Thread.sleep(50);
        }
        process.destroy();
        err.println("ccr: the background router did not start within " + READY_TIMEOUT_MS / 1000 + " s; see " + log);
        return Optional.empty();
    }

    Path logFile(int port) {
        return paths.logDirectory().resolve("ccr-" + port + ".log");
    }

    private static String tail(Path log, long from) throws IOException {
        byte[] all = Files.readAllBytes(log);
        int start = (int) Math.min(from, all.length);
        String text = new String(all, start, all.length - start, StandardCharsets.UTF_8);
        return text.endsWith("\n") || text.isEmpty() ? text : text + "\n";
    }
}
