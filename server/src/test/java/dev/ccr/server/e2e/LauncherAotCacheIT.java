package dev.ccr.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
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
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher ({@code server/ccr}) on Java 24 or newer: its first run trains an ahead-of-time cache (JEP 483) into
 * the user's cache in the background, instead of the class-data archive it makes on Java 17, and the next run maps it
 * without a warning and serves requests. Runs when such a Java is installed in {@code /usr/lib/jvm} (or named by
 * {@code -Dccr.test.java24=JAVA_HOME}); the Java 17 path is covered by {@link DistributionIT}.
 */
class LauncherAotCacheIT {
    private static final Pattern RELEASE_VERSION = Pattern.compile("(?m)^JAVA_VERSION=\"(\\d+)");
    private static final String ENDPOINT_KEY = FakeKeys.anthropic("aot-endpoint-0123456789");

    @TempDir
    Path tmp;

    private Path launcher;
    private Path javaHome;
    private Path home;
    private FakeUpstream upstream;
    private Process router;

    @BeforeEach
    void setUp() throws IOException {
        Optional<Path> java = java24OrNewer();
        assumeTrue(java.isPresent(), "no Java 24 or newer installed in /usr/lib/jvm (or -Dccr.test.java24)");
        javaHome = java.get();
        launcher =
                Path.of(System.getProperty("ccr.jar")).getParent().getParent().resolve("ccr");
        assertThat(launcher).isExecutable();
        home = Files.createDirectories(tmp.resolve("home"));
        upstream = FakeUpstream.start();
        Files.writeString(
                Files.createDirectories(home.resolve(".claude-code-router")).resolve("config.json"),
                """
                {"endpoints": [{"name": "a", "type": "anthropic", "baseUrl": "%s", "apiKey": "%s"}]}"""
                        .formatted(upstream.baseUrl(), ENDPOINT_KEY));
    }

    @AfterEach
    void tearDown() throws InterruptedException {
        stopRouter();
        if (upstream != null) {
            upstream.close();
        }
    }

    @Test
    void theFirstRunTrainsAnAotCacheAndTheNextMapsIt() throws Exception {
        int port = startRouter();
        assertStreamedRequestGoesThrough(port);

        Path cache = home.resolve(".cache/ccr");
        await().atMost(Duration.ofMinutes(4))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> filesEndingWith(cache, ".aot").size() == 1);
        assertThat(filesEndingWith(cache, ".jsa"))
                .as("no class-data archive on Java 24+")
                .isEmpty();
        assertThat(cache.resolve("training.log")).content().doesNotContain("Error");
        Path aot = filesEndingWith(cache, ".aot").get(0);
        // The training's temporary files are gone once the cache is in place.
        await().atMost(Duration.ofSeconds(30))
                .until(() -> filesEndingWith(cache, ".tmp").isEmpty());
        stopRouter();

        port = startRouter();
        assertThat(Files.readString(Path.of("/proc/" + router.pid() + "/maps")))
                .as("the AOT cache is mapped")
                .contains(aot.toRealPath().toString());
        assertThat(Files.readString(Path.of("/proc/" + router.pid() + "/cmdline")))
                .as("the C heap is trimmed, so the cache's early compiles do not leave idle memory behind")
                .contains("-XX:TrimNativeHeapInterval=5000");
        assertStreamedRequestGoesThrough(port);
        stopRouter();
        assertThat(tmp.resolve("router.err"))
                .content()
                .as("the JVM took the cache without a complaint")
                .doesNotContain("[warning][aot]")
                .doesNotContain("[warning][cds]")
                .as("SQLite's native library is loaded without Java 24's warning (the jar enables native access)")
                .doesNotContain("restricted method");
    }

    private int startRouter() throws IOException {
        int port = freePort();
        ProcessBuilder builder = new ProcessBuilder(List.of(launcher.toString(), "start", "--port", "" + port))
                .redirectError(tmp.resolve("router.err").toFile());
        Map<String, String> env = builder.environment();
        env.put("HOME", home.toString());
        env.put("JAVA_HOME", javaHome.toString());
        env.remove("XDG_CACHE_HOME");
        env.remove("CCR_HOME");
        env.remove("CCR_CDS");
        env.remove("CCR_JAVA_OPTS");
        router = builder.start();
        // The launcher exec's Java: the process is the router itself. Its first line says it is listening.
        String line =
                new BufferedReader(new InputStreamReader(router.getInputStream(), StandardCharsets.UTF_8)).readLine();
        assertThat(line)
                .as("first line; stderr: %s", Files.readString(tmp.resolve("router.err")))
                .contains("127.0.0.1:" + port);
        return port;
    }

    private void stopRouter() throws InterruptedException {
        if (router != null && router.isAlive()) {
            router.destroy();
            if (!router.waitFor(30, TimeUnit.SECONDS)) {
                router.destroyForcibly();
            }
        }
    }

    private void assertStreamedRequestGoesThrough(int port) {
        List<String> frames = AnthropicSse.textAnswer("m", 7, "through ", "the cache");
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
    }

    /** {@code -Dccr.test.java24}, else the newest JDK in /usr/lib/jvm whose {@code release} says 24 or newer. */
    private static Optional<Path> java24OrNewer() throws IOException {
        String named = System.getProperty("ccr.test.java24", "");
        if (!named.isBlank()) {
            return Optional.of(Path.of(named));
        }
        Path jvms = Path.of("/usr/lib/jvm");
        if (!Files.isDirectory(jvms)) {
            return Optional.empty();
        }
        try (Stream<Path> homes = Files.list(jvms)) {
            return homes.filter(dir -> Files.isExecutable(dir.resolve("bin/java")))
                    .filter(dir -> major(dir) >= 24)
                    .max(Comparator.comparingInt(LauncherAotCacheIT::major));
        }
    }

    private static int major(Path javaHome) {
        try {
            Matcher m = RELEASE_VERSION.matcher(Files.readString(javaHome.resolve("release")));
            return m.find() ? Integer.parseInt(m.group(1)) : 0;
        } catch (IOException | RuntimeException unreadable) {
            return 0;
        }
    }

    private static List<Path> filesEndingWith(Path dir, String suffix) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(suffix))
                    .toList();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
