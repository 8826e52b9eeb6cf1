package dev.ccr.server.testing;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code redis-server} on 127.0.0.1 and a free port, for team mode's tests. The binary is the {@code
 * redis-server} on the {@code PATH} when there is one, else the one the test dependency {@code
 * com.github.codemonstur:embedded-redis} ships for this platform (Redis 6.2, Linux x64 and arm64, macOS), copied out
 * of the jar: {@code ./mvnw verify} needs no system package. Persistence is off; the server can be killed (as a crash
 * would), paused (as a stalled host would) and started again on the same port.
 */
public final class RedisServer implements AutoCloseable {
    private final Path binary;
    private final Path directory;
    private final int port;
    private final List<String> extra;
    private final boolean tls;
    private Process process;

    private RedisServer(Path binary, Path directory, int port, List<String> extra, boolean tls) {
        this.binary = binary;
        this.directory = directory;
        this.port = port;
        this.extra = extra;
        this.tls = tls;
    }

    /** Starts a server with no password. */
    public static RedisServer start() {
        return start(List.of());
    }

    /** Starts a server that speaks only TLS on its port, with this certificate and key (PEM); clients need none. */
    public static RedisServer startTls(Path certificate, Path key, List<String> arguments) {
        List<String> all = new ArrayList<>(List.of(
                "--tls-cert-file",
                certificate.toString(),
                "--tls-key-file",
                key.toString(),
                "--tls-ca-cert-file",
                certificate.toString(),
                "--tls-auth-clients",
                "no"));
        all.addAll(arguments);
        return start(all, true);
    }

    /** Starts a server with these extra arguments, such as {@code --requirepass secret}. */
    public static RedisServer start(List<String> arguments) {
        return start(arguments, false);
    }

    private static RedisServer start(List<String> arguments, boolean tls) {
        try {
            RedisServer server = new RedisServer(
                    binary(), Files.createTempDirectory("ccr-redis"), freePort(), List.copyOf(arguments), tls);
            server.launch();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port() {
        return port;
    }

    /** {@code redis://127.0.0.1:<port>}. */
    public String url() {
        return "redis://127.0.0.1:" + port;
    }

    /** Kills the server at once (SIGKILL), as a crash would; its data is gone. */
    public void kill() {
        if (process != null) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            process = null;
        }
    }

    /** Starts the server again, on the same port, empty. */
    public void restart() {
        kill();
        launch();
    }

    /** Stops the process without closing its connections (SIGSTOP): Redis is there but answers nothing. */
    public void pause() {
        signal("-STOP");
    }

    /** Lets a paused server go on (SIGCONT). */
    public void resume() {
        signal("-CONT");
    }

    /**
     * Sends one command (on a plain-text server) and returns the reply as text (a bulk or simple string, a number, or an array's elements one a
     * line); {@code null} for a nil reply.
     */
    public String command(String... args) {
        return commandAs(null, null, args);
    }

    /** {@link #command} as an ACL user (after {@code AUTH user password}); no AUTH when {@code user} is null. */
    public String commandAs(String user, String password, String... args) {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(5_000);
            OutputStream out = socket.getOutputStream();
            BufferedInputStream in = new BufferedInputStream(socket.getInputStream());
            if (user != null) {
                write(out, "AUTH", user, password);
                read(in);
            }
            write(out, args);
            return read(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(OutputStream out, String... args) throws IOException {
        StringBuilder request = new StringBuilder("*" + args.length + "\r\n");
        for (String arg : args) {
            byte[] bytes = arg.getBytes(StandardCharsets.UTF_8);
            request.append('$').append(bytes.length).append("\r\n").append(arg).append("\r\n");
        }
        out.write(request.toString().getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static String read(InputStream in) throws IOException {
        String line = line(in);
        char type = line.charAt(0);
        String rest = line.substring(1);
        switch (type) {
            case '+', ':' -> {
                return rest;
            }
            case '-' -> throw new IllegalStateException("redis: " + rest);
            case '$' -> {
                int length = Integer.parseInt(rest);
                if (length < 0) {
                    return null;
                }
                byte[] bytes = in.readNBytes(length + 2);
                return new String(bytes, 0, length, StandardCharsets.UTF_8);
            }
            case '*' -> {
                int count = Integer.parseInt(rest);
                List<String> items = new ArrayList<>();
                for (int i = 0; i < count; i++) {
                    items.add(read(in));
                }
                return String.join("\n", items);
            }
            default -> throw new IllegalStateException("unexpected reply " + line);
        }
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder out = new StringBuilder();
        int c;
        while ((c = in.read()) != -1 && c != '\r') {
            out.append((char) c);
        }
        in.read(); // \n
        return out.toString();
    }

    private void launch() {
        List<String> command = new ArrayList<>(List.of(binary.toString()));
        command.addAll(
                tls
                        ? List.of("--port", "0", "--tls-port", Integer.toString(port))
                        : List.of("--port", Integer.toString(port)));
        command.addAll(
                List.of("--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", directory.toString()));
        command.addAll(extra);
        try {
            process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(directory.resolve("redis.log").toFile())
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("redis-server exited: " + log());
            }
            try (Socket ignored = new Socket(InetAddress.getLoopbackAddress(), port)) {
                return;
            } catch (IOException notYet) {
                sleep(20);
            }
        }
        throw new IllegalStateException("redis-server did not listen on " + port + ": " + log());
    }

    private String log() {
        try {
            return Files.readString(directory.resolve("redis.log"));
        } catch (IOException e) {
            return e.toString();
        }
    }

    private void signal(String signal) {
        try {
            Process kill = new ProcessBuilder("kill", signal, Long.toString(process.pid()))
                    .inheritIO()
                    .start();
            kill.waitFor(10, TimeUnit.SECONDS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        if (process != null) {
            resume();
        }
        kill();
        try (var files = Files.walk(directory)) {
            files.sorted(java.util.Comparator.reverseOrder())
                    .forEach(file -> file.toFile().delete());
        } catch (IOException ignored) {
            // a temporary directory left behind
        }
    }

    /** The {@code redis-server} to run: one on the PATH, else the one shipped for this platform in the test jar. */
    private static synchronized Path binary() throws IOException {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            Path candidate = Path.of(dir, "redis-server");
            if (!dir.isEmpty() && Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        String resource = shippedName();
        Path target = Path.of("target", "redis", resource).toAbsolutePath();
        if (Files.isExecutable(target)) {
            return target;
        }
        try (InputStream in = RedisServer.class.getResourceAsStream("/" + resource)) {
            if (in == null) {
                throw new IllegalStateException("no redis-server on the PATH, and embedded-redis ships none named "
                        + resource + " for this platform");
            }
            Files.createDirectories(target.getParent());
            Path temp = Files.createTempFile(target.getParent(), "redis-server", ".tmp");
            Files.copy(in, temp, StandardCopyOption.REPLACE_EXISTING);
            temp.toFile().setExecutable(true);
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
        return target;
    }

    private static String shippedName() {
        String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
        boolean arm = arch.contains("aarch64") || arch.contains("arm64");
        if (os.contains("mac")) {
            return arm ? "redis-server-6.2.6-v5-darwin-arm64" : "redis-server-6.2.6-v5-darwin-amd64";
        }
        if (os.contains("linux")) {
            return arm ? "redis-server-6.2.7-linux-arm64" : "redis-server-6.2.6-v5-linux-amd64";
        }
        throw new IllegalStateException("team mode tests need redis-server on the PATH on " + os + "/" + arch);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
