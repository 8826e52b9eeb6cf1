package dev.ccr.server.rpc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ccr.protocol.CcrLauncher;
import dev.ccr.protocol.CcrServer;
import dev.ccr.protocol.ProtocolVersion;
import dev.ccr.protocol.config.EndpointChangeParams;
import dev.ccr.protocol.config.EndpointSettings;
import dev.ccr.protocol.config.EndpointType;
import dev.ccr.protocol.lifecycle.ClientCapabilities;
import dev.ccr.protocol.lifecycle.InitializeParams;
import dev.ccr.protocol.lifecycle.InitializeResult;
import dev.ccr.protocol.status.ProxyState;
import dev.ccr.protocol.status.ServerStatus;
import dev.ccr.server.testing.FakeUpstream;
import dev.ccr.server.testing.Http;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.eclipse.lsp4j.jsonrpc.Launcher;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real shaded jar as the editor runs it: {@code java -jar ccr.jar lsp} as a child process over stdio. Handshake, a
 * config change that the pushed status reflects, a request through its proxy, nothing but JSON-RPC on stdout, and a
 * prompt exit when stdin closes or the parent process dies.
 */
class LspIT {
    private static final long EXIT_BUDGET_MS = 1_000;

    @TempDir
    Path home;

    private FakeUpstream upstream;
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread thread = new Thread(r, "lsp-it");
        thread.setDaemon(true);
        return thread;
    });
    private final List<Process> processes = new ArrayList<>();

    @BeforeEach
    void setUp() throws IOException {
        upstream = FakeUpstream.start().respondWith(200, "application/json", "{\"id\":\"msg_1\",\"type\":\"message\"}");
        Files.createDirectories(home.resolve(".claude-code-router"));
        Files.writeString(
                home.resolve(".claude-code-router/config.json"),
                "{\n  \"port\": 0,\n  \"endpoints\": [\n    { \"name\": \"anthropic\", \"type\": \"anthropic\","
                        + " \"baseUrl\": \"" + upstream.baseUrl() + "\", \"apiKey\": \"sk-test\" }\n  ]\n}\n");
    }

    @AfterEach
    void tearDown() {
        processes.forEach(Process::destroyForcibly);
        executor.shutdownNow();
        upstream.close();
    }

    private Process start(String... extra) throws IOException {
        String jar = System.getProperty("ccr.jar");
        assertThat(jar)
                .as("the failsafe plugin passes the shaded jar as ccr.jar")
                .isNotNull();
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar, "lsp", "--debug"));
        command.addAll(List.of(extra));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectError(home.resolve("stderr.log").toFile());
        Map<String, String> environment = builder.environment();
        environment.put("HOME", home.toString());
        environment.remove("CCR_HOME");
        environment.put("CLAUDE_CONFIG_DIR", home.resolve(".claude").toString());
        Process process = builder.start();
        processes.add(process);
        return process;
    }

    /** Copies what the process writes to stdout, to check it is nothing but JSON-RPC frames. */
    private static final class Recording extends FilterInputStream {
        final ByteArrayOutputStream copy = new ByteArrayOutputStream();

        Recording(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                copy.write(b);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0) {
                copy.write(buffer, offset, n);
            }
            return n;
        }
    }

    @Test
    void handshakeConfigChangePushedStatusAndExitOnStdinClose() throws Exception {
        Process process = start();
        Recording stdout = new Recording(process.getInputStream());
        RecordingEditor editor = new RecordingEditor();
        Launcher<CcrServer> launcher = CcrLauncher.clientLauncher(editor, stdout, process.getOutputStream(), executor);
        launcher.startListening();
        CcrServer server = launcher.getRemoteProxy();

        InitializeResult init = server.initialize(new InitializeParams(
                        ProtocolVersion.CURRENT,
                        "lsp-it",
                        "1",
                        new ClientCapabilities(true, true, true),
                        List.of(),
                        null))
                .get(30, TimeUnit.SECONDS);
        assertThat(init.status().proxy())
                .as("status %s; stderr:%n%s", init.status(), Files.readString(home.resolve("stderr.log")))
                .isEqualTo(ProxyState.RUNNING);
        assertThat(Http.post(
                                init.status().baseUrl() + "/v1/messages",
                                "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":5,\"messages\":[]}",
                                Map.of("content-type", "application/json"))
                        .statusCode())
                .isEqualTo(200);

        server.getConfigService()
                .addEndpoint(new EndpointChangeParams(
                        new EndpointSettings(
                                "glm",
                                EndpointType.OPENAI,
                                "https://open.bigmodel.cn/api/paas/v4",
                                null,
                                null,
                                null,
                                null,
                                null),
                        false))
                .get(30, TimeUnit.SECONDS);
        ServerStatus changed = editor.awaitStatus(s -> s.endpoints().size() == 2);
        assertThat(changed.endpoints())
                .extracting(ServerStatus.EndpointStatus::name)
                .containsExactly("anthropic", "glm");
        assertThat(Files.readString(home.resolve(".claude-code-router/config.json")))
                .contains("\"name\": \"glm\"");

        long closing = System.nanoTime();
        process.getOutputStream().close();
        assertThat(process.waitFor(5, TimeUnit.SECONDS))
                .as("exits when stdin closes")
                .isTrue();
        long tookMs = (System.nanoTime() - closing) / 1_000_000;
        System.err.println("exited " + tookMs + " ms after stdin closed");
        assertThat(tookMs).as("exit took %d ms", tookMs).isLessThan(EXIT_BUDGET_MS);
        assertThat(process.exitValue()).isZero();

        assertOnlyJsonRpcFrames(stdout.copy.toByteArray());
        String log = Files.readString(home.resolve("stderr.log"));
        assertThat(log).contains("proxy listening on");
        assertThat(log).as("the key never reaches the log, even at debug level").doesNotContain("sk-test");
    }

    @Test
    void exitsWhenItsParentDies() throws Exception {
        Process parent = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-version")
                .start();
        parent.waitFor(); // a pid that was real and is gone: refused at start
        Process orphan = start("--parent-pid", Long.toString(parent.pid()));
        assertThat(orphan.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(orphan.exitValue()).isEqualTo(1);

        Process sleeper = new ProcessBuilder("sleep", "60").start();
        processes.add(sleeper);
        Process process = start("--parent-pid", Long.toString(sleeper.pid()));
        RecordingEditor editor = new RecordingEditor();
        Launcher<CcrServer> launcher =
                CcrLauncher.clientLauncher(editor, process.getInputStream(), process.getOutputStream(), executor);
        launcher.startListening();
        launcher.getRemoteProxy()
                .initialize(new InitializeParams(ProtocolVersion.CURRENT, "lsp-it", "1", null, List.of(), null))
                .get(30, TimeUnit.SECONDS);

        long killing = System.nanoTime();
        sleeper.destroy();
        assertThat(process.waitFor(5, TimeUnit.SECONDS))
                .as("exits when its parent dies")
                .isTrue();
        long tookMs = (System.nanoTime() - killing) / 1_000_000;
        System.err.println("exited " + tookMs + " ms after the parent died");
        assertThat(tookMs).as("exit took %d ms", tookMs).isLessThan(EXIT_BUDGET_MS);
    }

    /** Every byte on stdout belongs to a {@code Content-Length} framed JSON message. */
    private static void assertOnlyJsonRpcFrames(byte[] bytes) {
        int position = 0;
        int frames = 0;
        while (position < bytes.length) {
            String rest = new String(bytes, position, Math.min(64, bytes.length - position), StandardCharsets.US_ASCII);
            assertThat(rest).as("frame %d starts with a header", frames).startsWith("Content-Length: ");
            int headerEnd = indexOf(bytes, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII), position);
            String header = new String(bytes, position, headerEnd - position, StandardCharsets.US_ASCII);
            int length = Integer.parseInt(
                    header.substring("Content-Length: ".length()).strip());
            int body = headerEnd + 4;
            String json = new String(bytes, body, length, StandardCharsets.UTF_8);
            assertThat(json).startsWith("{\"jsonrpc\":\"2.0\"").endsWith("}");
            position = body + length;
            frames++;
        }
        assertThat(frames).isGreaterThanOrEqualTo(3);
    }

    private static int indexOf(byte[] haystack, byte[] needle, int from) {
        outer:
        for (int i = from; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("no header end after position " + from);
    }
}
