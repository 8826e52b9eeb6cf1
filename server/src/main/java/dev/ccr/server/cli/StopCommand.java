package dev.ccr.server.cli;

import dev.ccr.server.config.ConfigPaths;
import dev.ccr.server.runtime.RunState;
import dev.ccr.server.runtime.RunStateFiles;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ccr stop}: asks a running router to shut down (SIGTERM) and waits for it. */
@Command(
        name = "stop",
        mixinStandardHelpOptions = true,
        versionProvider = CcrCommand.VersionProvider.class,
        description = "Stop a running router; in-flight requests get time to finish.")
final class StopCommand implements Callable<Integer> {
    private static final long WAIT_SECONDS = 20;

    @Option(
            names = {"-p", "--port"},
            paramLabel = "N",
            description = "The router on this port (needed when several run).")
    Integer port;

    @Option(names = "--all", description = "Stop every running router.")
    boolean all;

    @Override
    public Integer call() throws InterruptedException {
        List<RunState> live = new RunStateFiles(ConfigPaths.fromEnvironment().runDirectory()).live();
        List<RunState> targets = live.stream()
                .filter(s -> all || port == null || s.port() == port)
                .toList();
        if (targets.isEmpty()) {
            System.out.println(port == null ? "ccr is not running" : "no ccr is running on port " + port);
            return ExitCodes.OK;
        }
        if (targets.size() > 1 && !all) {
            System.err.println("ccr: several routers are running (ports "
                    + String.join(", ", targets.stream().map(s -> "" + s.port()).toList())
                    + "); choose one with --port or use --all");
            return ExitCodes.USAGE;
        }
        int status = ExitCodes.OK;
        for (RunState target : targets) {
            if (!stop(target)) {
                status = ExitCodes.FAILURE;
            }
        }
        return status;
    }

    private static boolean stop(RunState state) throws InterruptedException {
        Optional<ProcessHandle> process = ProcessHandle.of(state.pid());
        if (process.isEmpty() || !process.get().isAlive()) {
            System.out.println("ccr on port " + state.port() + " had already stopped");
            return true;
        }
        process.get().destroy();
        try {
            process.get().onExit().get(WAIT_SECONDS, TimeUnit.SECONDS);
            System.out.println("stopped ccr (pid " + state.pid() + ") on port " + state.port());
            return true;
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            System.err.println("ccr: pid " + state.pid() + " did not stop within " + WAIT_SECONDS + " s; kill it with"
                    + " 'kill -9 " + state.pid() + "'");
            return false;
        }
    }
}
