package dev.ccr.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The router as users run it: the {@code server/ccr} launcher (so its JVM flags are what is measured) in a child
 * process with a throw-away home, started on a given config.
 */
final class RouterProcess implements AutoCloseable {
    private final Process process;
    private final int port;
    private final Path home;
    private final long startToFirstAnswerNanos;

    private RouterProcess(Process process, int port, Path home, long startToFirstAnswerNanos) {
        this.process = process;
        this.port = port;
        this.home = home;
        this.startToFirstAnswerNanos = startToFirstAnswerNanos;
    }

    /**
     * Starts the router and waits until it has answered a real request through {@code upstreamBaseUrl}'s mock.
     *
     * @param launcher the {@code server/ccr} script
     */
    static RouterProcess start(Path launcher, String configJson) throws IOException, InterruptedException {
        Path home = Files.createTempDirectory("ccr-bench-home");
        Path config = home.resolve("config.json");
        Files.writeString(config, configJson);
        int port = freePort();
        ProcessBuilder builder = new ProcessBuilder(List.of(
                        launcher.toString(), "start", "--config", config.toString(), "--port", String.valueOf(port)))
                .redirectErrorStream(true)
                .redirectOutput(home.resolve("router.log").toFile());
        builder.environment().put("CCR_HOME", home.toString());
        // HTTP/1.1 as Claude Code speaks it: the JDK client's default would upgrade the first request to h2c.
        HttpClient client =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpRequest first = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/messages"))
                .header("content-type", "application/json")
                .header("x-api-key", "bench-key")
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":8}"))
                .build();
        // The client's own first use loads and initialises a few hundred classes; do that before the clock starts,
        // with a request to the port nobody listens on yet, so the figure is the router's and not the harness's.
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
                    return new RouterProcess(process, port, home, System.nanoTime() - begin);
                }
                throw new IllegalStateException(
                        "the router answered " + response.statusCode() + "; see " + home.resolve("router.log"));
            } catch (IOException notYet) {
                if (!process.isAlive()) {
                    throw new IllegalStateException(
                            "the router exited: " + Files.readString(home.resolve("router.log")));
                }
                if (System.nanoTime() - begin > TimeUnit.SECONDS.toNanos(60)) {
                    throw new IllegalStateException("the router did not answer within 60 s");
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

    /** The JVM's resident set size now, in MiB (the launcher execs java, so the pid is the JVM's). */
    double rssMiB() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
            }
        }
        throw new IllegalStateException("no VmRSS for pid " + process.pid());
    }

    /**
     * The CPU time the JVM has used so far (all its threads, user and system), in milliseconds: unlike wall-clock
     * times, this hardly depends on what else the machine is doing. Read from {@code /proc/PID/stat}, whose fields 14
     * and 15 count clock ticks (100 a second on Linux).
     */
    double cpuMillis() throws IOException {
        String stat = Files.readString(Path.of("/proc/" + process.pid() + "/stat"));
        // The command name (field 2) is in parentheses and may contain spaces: count fields after its closing one.
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * 10.0;
    }

    /**
     * The CPU time each of the JVM's threads has used so far, in milliseconds, summed by thread name (Linux truncates
     * names to 15 characters: "C2 CompilerThre", "vert.x-eventloo"); threads that have ended are not counted.
     */
    java.util.Map<String, Double> cpuMillisByThread() throws IOException {
        java.util.Map<String, Double> byName = new java.util.TreeMap<>();
        try (var tasks = Files.list(Path.of("/proc/" + process.pid() + "/task"))) {
            for (Path task : tasks.toList()) {
                String stat;
                try {
                    stat = Files.readString(task.resolve("stat"));
                } catch (IOException ended) {
                    continue;
                }
                String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                double millis = (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * 10.0;
                byName.merge(name, millis, Double::sum);
            }
        }
        return byName;
    }

    /** Sends SIGTERM and returns how long the process took to exit, in nanoseconds. */
    long terminate() throws InterruptedException {
        long begin = System.nanoTime();
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("the router did not exit within 30 s of SIGTERM");
        }
        return System.nanoTime() - begin;
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
    }

    Path home() {
        return home;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    static Duration millis(long nanos) {
        return Duration.ofNanos(nanos);
    }
}
