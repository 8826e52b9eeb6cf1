package dev.ccr.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * claude-code-router 2.0.0 (npm {@code @musistudio/claude-code-router}, the Node.js router ccr is an alternative to),
 * measured as a peer: installed by npm into a temporary directory (never into the repository), configured in its own
 * format in a temporary home against the same loopback mock upstream, and started as its users start it
 * ({@code ccr start}, which serves in the foreground). Everything it creates is deleted on {@link #close()}.
 *
 * <p>Its configuration is its fastest sensible one, so the comparison is generous to it: file logging off
 * ({@code "LOG": false}; its default is on, at debug level), no API key (so it binds 127.0.0.1 only), one provider
 * with its {@code Anthropic} transformer (passes Anthropic requests through) as the default route, and one OpenAI
 * provider (its default transformer translates to chat completions) picked with its explicit
 * {@code provider,model} syntax, which ccr understands too.
 */
final class ClaudeCodeRouterPeer implements AutoCloseable {
    static final String PACKAGE = "@musistudio/claude-code-router";
    static final String VERSION = "2.0.0";
    static final String LABEL = "claude-code-router " + VERSION;
    /** The provider and model a translated scenario asks for, in the {@code provider,model} form both routers read. */
    static final String OPENAI_MODEL = "openai-mock,gpt-bench";

    private static final long INSTALL_LIMIT_SECONDS = 180;

    /** Why the peer could not be measured; the report says so and the rest of the run goes on. */
    static final class Unavailable extends Exception {
        Unavailable(String message) {
            super(message);
        }
    }

    private final Path root;
    private final ChildServer server;
    private final String nodeVersion;

    private ClaudeCodeRouterPeer(Path root, ChildServer server, String nodeVersion) {
        this.root = root;
        this.server = server;
        this.nodeVersion = nodeVersion;
    }

    /**
     * Installs the peer and starts it against the mock, waiting for its first answer.
     *
     * @param mockBaseUrl the mock's base URL, ending in {@code /v1}
     * @throws Unavailable when npm or Node.js is missing, the install fails or takes over three minutes, or the peer
     *     does not start and answer within a minute; nothing of it is left behind then
     */
    static ClaudeCodeRouterPeer start(String mockBaseUrl) throws Unavailable, InterruptedException {
        Path root;
        try {
            root = Files.createTempDirectory("ccr-bench-peer");
        } catch (IOException e) {
            throw new Unavailable("no temporary directory: " + e.getMessage());
        }
        try {
            String node = nodeVersion(root);
            Path cli = install(root);
            Path home = root.resolve("home");
            Files.createDirectories(home.resolve(".claude-code-router"));
            int port = ChildServer.freePort();
            Files.writeString(home.resolve(".claude-code-router/config.json"), config(mockBaseUrl, port));
            Path log = root.resolve("peer.log");
            ProcessBuilder builder = new ProcessBuilder(List.of("node", cli.toString(), "start"))
                    .directory(root.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            isolate(builder.environment(), home);
            return new ClaudeCodeRouterPeer(root, ChildServer.start(builder, port, log, null), node);
        } catch (Unavailable e) {
            delete(root);
            throw e;
        } catch (IOException | IllegalStateException e) {
            delete(root);
            throw new Unavailable("it did not start: " + e.getMessage());
        }
    }

    /** Its own config file ({@code ~/.claude-code-router/config.json}), in its own format. */
    static String config(String mockBaseUrl, int port) {
        return """
                {"PORT": %d, "HOST": "127.0.0.1", "LOG": false,
                 "Providers": [
                   {"name": "mock", "api_base_url": "%s/messages", "api_key": "mock-key",
                    "models": ["claude-sonnet-4-5"], "transformer": {"use": ["Anthropic"]}},
                   {"name": "openai-mock", "api_base_url": "%s/chat/completions", "api_key": "mock-key",
                    "models": ["gpt-bench"]}],
                 "Router": {"default": "mock,claude-sonnet-4-5"}}
                """
                .formatted(port, mockBaseUrl, mockBaseUrl);
    }

    /**
     * Its home is the temporary one (it keeps its config, PID file and logs under {@code ~/.claude-code-router}), and
     * no proxy settings reach it, so its upstream calls go straight to the mock on loopback.
     */
    private static void isolate(Map<String, String> env, Path home) {
        env.put("HOME", home.toString());
        env.put("USERPROFILE", home.toString());
        for (String name : List.of("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY")) {
            env.remove(name);
            env.remove(name.toLowerCase(java.util.Locale.ROOT));
        }
    }

    /** {@code node --version}; the peer needs Node.js 20 or newer. */
    private static String nodeVersion(Path root) throws Unavailable, InterruptedException {
        String printed =
                run(root, List.of("node", "--version"), 30, "node --version").strip();
        int major;
        try {
            major = Integer.parseInt(printed.replaceFirst("^v(\\d+).*", "$1"));
        } catch (NumberFormatException e) {
            throw new Unavailable("node --version printed \"" + printed + "\"");
        }
        if (major < 20) {
            throw new Unavailable(LABEL + " needs Node.js 20 or newer; this is " + printed);
        }
        return printed;
    }

    /**
     * {@code npm install} into {@code root/npm}: no package.json or lock file is written anywhere else, and no install
     * script runs (the package is one bundled file and needs none).
     */
    private static Path install(Path root) throws Unavailable, InterruptedException {
        Path prefix = root.resolve("npm");
        run(
                root,
                List.of(
                        "npm",
                        "install",
                        "--prefix",
                        prefix.toString(),
                        "--no-save",
                        "--no-package-lock",
                        "--ignore-scripts",
                        "--no-audit",
                        "--no-fund",
                        "--loglevel=error",
                        PACKAGE + "@" + VERSION),
                INSTALL_LIMIT_SECONDS,
                "npm install " + PACKAGE + "@" + VERSION);
        Path cli = prefix.resolve("node_modules/" + PACKAGE + "/dist/cli.js");
        if (!Files.isRegularFile(cli)) {
            throw new Unavailable("npm installed " + PACKAGE + "@" + VERSION + " without its dist/cli.js");
        }
        return cli;
    }

    /** Runs a command to its end within a time limit and returns its output (stdout and stderr). */
    private static String run(Path dir, List<String> command, long limitSeconds, String what)
            throws Unavailable, InterruptedException {
        Path out = dir.resolve("command.log");
        Process process;
        try {
            process = new ProcessBuilder(command)
                    .directory(dir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(out.toFile())
                    .start();
        } catch (IOException e) {
            throw new Unavailable(what + " could not run: " + e.getMessage());
        }
        if (!process.waitFor(limitSeconds, TimeUnit.SECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            throw new Unavailable(what + " did not finish within " + limitSeconds + " s");
        }
        String output;
        try {
            output = Files.readString(out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            output = "";
        }
        if (process.exitValue() != 0) {
            System.err.println(what + ":\n" + ChildServer.tail(out));
            throw new Unavailable(
                    what + " failed with status " + process.exitValue() + " (" + firstLines(output) + ")");
        }
        return output;
    }

    /** The first two lines a failed command printed (npm's say what went wrong; the rest is its stack). */
    private static String firstLines(String output) {
        return String.join(
                "; ", output.strip().lines().map(String::strip).limit(2).toList());
    }

    ChildServer server() {
        return server;
    }

    String nodeVersion() {
        return nodeVersion;
    }

    /** Stops the peer (SIGTERM, then SIGKILL) and deletes everything it was installed and configured in. */
    @Override
    public void close() {
        try {
            server.terminate();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IllegalStateException notExited) {
            // terminate() killed it
        } finally {
            server.close();
            delete(root);
        }
    }

    private static void delete(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder())
                    .forEach(path -> path.toFile().delete());
        } catch (IOException ignored) {
            // a temporary directory; the system cleans it up eventually
        }
    }
}
