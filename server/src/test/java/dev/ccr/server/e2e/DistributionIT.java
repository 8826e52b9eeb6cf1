package dev.ccr.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ccr.server.testing.AnthropicSse;
import dev.ccr.server.testing.FakeKeys;
import dev.ccr.server.testing.FakeUpstream;
import dev.ccr.server.testing.Http;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The distribution archive as a user gets it ({@code ccr-<version>-linux-x64.tar.gz}, built by {@code package}):
 * unpacked into a fresh folder and run on a machine where no Java is installed (a {@code PATH} with the shell's tools
 * but no {@code java}, no {@code JAVA_HOME}), it serves requests on the runtime inside the archive, trains its
 * class-data archive into the user's cache on the first run and maps it on the next, and runs in the background.
 */
class DistributionIT {
    /** The tools bin/ccr uses besides shell built-ins; nothing else is on the PATH it gets. */
    private static final List<String> SHELL_TOOLS =
            List.of("sh", "dirname", "readlink", "cksum", "ls", "find", "mkdir", "rm", "mv", "nice", "setsid");

    private static final String ENDPOINT_KEY = FakeKeys.anthropic("dist-endpoint-0123456789");

    @TempDir
    Path tmp;

    private Path dist;
    private Path home;
    private Path noJavaPath;
    private FakeUpstream upstream;
    private Process foreground;

    @BeforeEach
    void unpack() throws Exception {
        assumeFalse(Boolean.getBoolean("ccr.dist.skipped"), "the distribution was not built (-Dccr.dist.skip)");
        Path archive = Path.of(System.getProperty("ccr.dist.archive", ""));
        assumeTrue(
                archive.toString().endsWith(".tar.gz"),
                "the POSIX distribution is tested here; this platform builds " + archive.getFileName());
        assertThat(archive).as("built by package").isRegularFile();

        Path unpacked = Files.createDirectories(tmp.resolve("opt"));
        assertThat(run(List.of("tar", "-xzf", archive.toString(), "-C", unpacked.toString()), Map.of(), 120))
                .isZero();
        try (Stream<Path> top = Files.list(unpacked)) {
            dist = top.findFirst().orElseThrow();
        }
        assertThat(dist.getFileName().toString())
                .isEqualTo(archive.getFileName().toString().replace(".tar.gz", ""));

        home = Files.createDirectories(tmp.resolve("home"));
        noJavaPath = Files.createDirectories(tmp.resolve("path"));
        for (String tool : SHELL_TOOLS) {
            Path real = Stream.of("/usr/bin", "/bin")
                    .map(dir -> Path.of(dir, tool))
                    .filter(Files::isExecutable)
                    .findFirst()
                    .orElseThrow(() -> new AssertionError(tool + " is not installed"));
            Files.createSymbolicLink(noJavaPath.resolve(tool), real);
        }
        upstream = FakeUpstream.start();
        Path config =
                Files.createDirectories(home.resolve(".claude-code-router")).resolve("config.json");
        Files.writeString(
                config,
                """
                {"endpoints": [{"name": "a", "type": "anthropic", "baseUrl": "%s", "apiKey": "%s"}]}"""
                        .formatted(upstream.baseUrl(), ENDPOINT_KEY));
    }

    @AfterEach
    void stop() throws Exception {
        if (foreground != null && foreground.isAlive()) {
            foreground.destroy();
            if (!foreground.waitFor(20, TimeUnit.SECONDS)) {
                foreground.destroyForcibly();
            }
        }
        if (dist != null) {
            ccr(30, "stop", "--all");
        }
        if (upstream != null) {
            upstream.close();
        }
    }

    @Test
    void theUnpackedArchiveServesOnItsOwnRuntimeWithoutJavaOnTheMachine() throws Exception {
        assertThat(dist.resolve("bin/ccr")).isExecutable();
        assertThat(dist.resolve("bin/ccr.cmd")).isRegularFile();
        assertThat(dist.resolve("lib/ccr.jar")).isRegularFile();
        Path java = dist.resolve("runtime/bin/java");
        assertThat(java).isExecutable();
        assertThat(dist.resolve("runtime/lib/jspawnhelper")).isExecutable();
        // The environment really has no Java: the shell finds none.
        assertThat(run(List.of("sh", "-c", "command -v java"), Map.of(), 30))
                .as("java on the test's PATH")
                .isNotZero();

        CcrRun first = startForeground();
        assertThat(commandOf(first.pid())).isEqualTo(java.toRealPath());
        assertStreamedRequestGoesThrough(first.port());

        // The first run trained the class-data archive in the background; it lands in the user's cache.
        Path cache = home.resolve(".cache/ccr");
        await().atMost(Duration.ofMinutes(3))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> jsaFiles(cache).size() == 1);
        assertThat(cache.resolve("training.log")).content().doesNotContain("Error");
        Path jsa = jsaFiles(cache).get(0);
        foreground.destroy();
        assertThat(foreground.waitFor(30, TimeUnit.SECONDS)).isTrue();

        // In the background, from a symbolic link elsewhere (as `ln -s …/bin/ccr ~/.local/bin/ccr` makes it): the
        // same runtime, now with the archive mapped.
        Path links = Files.createDirectories(tmp.resolve("links"));
        Files.createSymbolicLink(links.resolve("ccr"), dist.resolve("bin/ccr"));
        int port = freePort();
        Result daemon = exec(List.of(links.resolve("ccr").toString(), "start", "--daemon", "--port", "" + port), 90);
        assertThat(daemon.exitCode()).as(daemon.output()).isZero();
        assertThat(daemon.output()).contains("started in the background");
        long pid = Long.parseLong(daemon.output().replaceAll("(?s).*\\(pid (\\d+)\\).*", "$1"));
        assertThat(commandOf(pid)).isEqualTo(java.toRealPath());
        assertThat(Files.readString(Path.of("/proc/" + pid + "/maps")))
                .as("the class-data archive is mapped")
                .contains(jsa.toRealPath().toString());
        assertStreamedRequestGoesThrough(port);

        Result stop = exec(List.of(links.resolve("ccr").toString(), "stop", "--port", "" + port), 60);
        assertThat(stop.exitCode()).as(stop.output()).isZero();
    }

    private record CcrRun(long pid, int port) {}

    private CcrRun startForeground() throws Exception {
        int port = freePort();
        ProcessBuilder builder = builder(List.of(dist.resolve("bin/ccr").toString(), "start", "--port", "" + port))
                .redirectError(tmp.resolve("foreground.err").toFile());
        foreground = builder.start();
        // The launcher exec's Java: the process is the router itself. Its first line says it is listening.
        String line = new BufferedReader(new InputStreamReader(foreground.getInputStream(), StandardCharsets.UTF_8))
                .readLine();
        assertThat(line)
                .as("first line; stderr: %s", Files.readString(tmp.resolve("foreground.err")))
                .contains("127.0.0.1:" + port);
        return new CcrRun(foreground.pid(), port);
    }

    private void assertStreamedRequestGoesThrough(int port) {
        List<String> frames = AnthropicSse.textAnswer("m", 7, "from ", "the archive");
        upstream.respond((request, response) -> {
            response.setChunked(true).putHeader("content-type", "text/event-stream");
            frames.forEach(response::write);
            response.end();
        });
        HttpResponse<String> answer = Http.post(
                "http://127.0.0.1:" + port + "/v1/messages",
                "{\"model\":\"m\",\"max_tokens\":5,\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
                Map.of());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        assertThat(answer.body()).isEqualTo(String.join("", frames));
        assertThat(upstream.lastRequest().header("x-api-key")).isEqualTo(ENDPOINT_KEY);
    }

    /** The executable a process runs, as the kernel has it (the launcher script is gone: it exec'd Java). */
    private static Path commandOf(long pid) throws IOException {
        return Path.of("/proc/" + pid + "/exe").toRealPath();
    }

    private static List<Path> jsaFiles(Path cache) throws IOException {
        if (!Files.isDirectory(cache)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(cache)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".jsa"))
                    .toList();
        }
    }

    private ProcessBuilder builder(List<String> command) {
        ProcessBuilder builder = new ProcessBuilder(command);
        Map<String, String> env = builder.environment();
        env.clear();
        env.put("PATH", noJavaPath.toString());
        env.put("HOME", home.toString());
        env.put("LANG", "C.UTF-8");
        return builder;
    }

    private record Result(int exitCode, String output) {}

    private Result exec(List<String> command, long timeoutSeconds) throws Exception {
        Path out = Files.createTempFile(tmp, "out", ".txt");
        Process process = builder(command)
                .redirectErrorStream(true)
                .redirectOutput(out.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .start();
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(
                    command + " did not finish in " + timeoutSeconds + " s:\n" + Files.readString(out));
        }
        return new Result(process.exitValue(), Files.readString(out));
    }

    private int ccr(long timeoutSeconds, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(dist.resolve("bin/ccr").toString()));
        command.addAll(List.of(args));
        return exec(command, timeoutSeconds).exitCode();
    }

    private int run(List<String> command, Map<String, String> extra, long timeoutSeconds) throws Exception {
        ProcessBuilder builder = noJavaPath == null ? new ProcessBuilder(command) : builder(command);
        builder.environment().putAll(extra);
        Process process = builder.redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(command + " did not finish in " + timeoutSeconds + " s");
        }
        return process.exitValue();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
