package dev.ccr.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A router under measurement, running as a child process and serving Anthropic's Messages API on 127.0.0.1: how it is
 * started and timed to its first answer, and what {@code /proc} says about its memory and CPU. Linux only, like the
 * rest of the harness.
 */
final class ChildServer implements AutoCloseable {
    private static final long START_LIMIT_NANOS = TimeUnit.SECONDS.toNanos(60);

    private final Process process;
    private final int port;
    private final Path log;
    private final long startToFirstAnswerNanos;
    private final Path scratch;

    private ChildServer(Process process, int port, Path log, long startToFirstAnswerNanos, Path scratch) {
        this.process = process;
        this.port = port;
        this.log = log;
        this.startToFirstAnswerNanos = startToFirstAnswerNanos;
        this.scratch = scratch;
    }

    /**
     * Starts {@code builder} (which must make the server listen on {@code port}) and waits until a real
     * {@code POST /v1/messages} through it is answered with 200, at most 60 s. The time is taken from the start of the
     * process to that answer; the harness's HTTP client is warmed up before the clock starts.
     *
     * @param log where the builder sends the process's output, quoted when it fails
     * @param scratch a temporary directory of the server's (its home, its config) deleted on {@link #close()}, or null
     */
    static ChildServer start(ProcessBuilder builder, int port, Path log, Path scratch)
            throws IOException, InterruptedException {
        // HTTP/1.1 as Claude Code speaks it: the JDK client's default would upgrade the first request to h2c.
        HttpClient client =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpRequest first = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/messages"))
                .header("content-type", "application/json")
                .header("anthropic-version", "2023-06-01")
                .header("x-api-key", "bench-key")
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":8,"
                        + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
                .build();
        // The client's own first use loads and initialises a few hundred classes; do that before the clock starts,
        // with a request to the port nobody listens on yet, so the figure is the server's and not the harness's.
        try {
            client.send(first, HttpResponse.BodyHandlers.discarding());
        } catch (IOException expected) {
            // connection refused: the client is ready
        }
        long begin = System.nanoTime();
        Process process = builder.start();
        while (true) {
            try {
                HttpResponse<Void> response = client.send(first, HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    return new ChildServer(process, port, log, System.nanoTime() - begin, scratch);
                }
                stop(process);
                throw new IllegalStateException("it answered " + response.statusCode() + "; see " + log);
            } catch (IOException notYet) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("it exited with status " + process.exitValue() + ": " + tail(log));
                }
                if (System.nanoTime() - begin > START_LIMIT_NANOS) {
                    stop(process);
                    throw new IllegalStateException("it did not answer within 60 s: " + tail(log));
                }
                Thread.sleep(2);
            }
        }
    }

    String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    long startToFirstAnswerNanos() {
        return startToFirstAnswerNanos;
    }

    long pid() {
        return process.pid();
    }

    /** The process's resident set size now, in MiB. */
    double rssMiB() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
            }
        }
        throw new IllegalStateException("no VmRSS for pid " + process.pid());
    }

    /**
     * The CPU time the process has used so far (all its threads, user and system), in milliseconds: unlike wall-clock
     * times, this hardly depends on what else the machine is doing. Read from {@code /proc/PID/stat}, whose fields 14
     * and 15 count clock ticks (100 a second on Linux).
     */
    double cpuMillis() throws IOException {
        return cpuMillisOf(Files.readString(Path.of("/proc/" + process.pid() + "/stat")));
    }

    /**
     * The CPU time each of the process's threads has used so far, in milliseconds, summed by thread name (Linux
     * truncates names to 15 characters: "C2 CompilerThre", "vert.x-eventloo"); threads that have ended are not counted.
     */
    Map<String, Double> cpuMillisByThread() throws IOException {
        Map<String, Double> byName = new TreeMap<>();
        try (var tasks = Files.list(Path.of("/proc/" + process.pid() + "/task"))) {
            for (Path task : tasks.toList()) {
                String stat;
                try {
                    stat = Files.readString(task.resolve("stat"));
                } catch (IOException ended) {
                    continue;
                }
                String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                byName.merge(name, cpuMillisOf(stat), Double::sum);
            }
        }
        return byName;
    }

    private static double cpuMillisOf(String stat) {
        // The command name (field 2) is in parentheses and may contain spaces: count fields after its closing one.
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * 10.0;
    }

    /** Sends SIGTERM and returns how long the process took to exit, in nanoseconds. */
    long terminate() throws InterruptedException {
        long begin = System.nanoTime();
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("pid " + process.pid() + " did not exit within 30 s of SIGTERM");
        }
        return System.nanoTime() - begin;
    }

    /** Ends the process and anything it started, if still running, and deletes its scratch directory. */
    @Override
    public void close() {
        stop(process);
        if (scratch != null) {
            delete(scratch);
        }
    }

    /** Deletes a directory tree, as far as it can. */
    static void delete(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder())
                    .forEach(path -> path.toFile().delete());
        } catch (IOException ignored) {
            // a temporary directory; the system cleans it up eventually
        }
    }

    private static void stop(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        if (process.isAlive()) {
            process.destroyForcibly();
        }
    }

    /** The last lines of a log, for an error message. */
    static String tail(Path log) {
        try {
            String text = Files.readString(log).strip();
            return text.length() <= 2_000 ? text : "…" + text.substring(text.length() - 2_000);
        } catch (IOException unreadable) {
            return "(no output in " + log + ")";
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
