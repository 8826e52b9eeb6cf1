package dev.ccr.server.rpc.socket;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;

/**
 * Where the router serving a config file listens for editors: one socket per ccr home and config file, so every editor
 * window that uses the same config finds the same router, and a test with a home of its own never finds the user's.
 * The VS Code extension computes the same path ({@code vscode-extension/src/sidecar/socketPath.ts}); both are checked
 * against the same examples, and docs/PROTOCOL.md states the rule:
 *
 * <ul>
 *   <li>the name is the first 16 hex digits of the SHA-256 of {@code <ccr home> + "\n" + <config file>} (absolute,
 *       normalised paths; lower-cased on Windows, whose file names ignore case), plus {@code .sock};
 *   <li>it lives in {@code <ccr home>/rpc/}, unless that path is longer than {@link #MAX_LENGTH} bytes (a Unix socket
 *       address holds 104 to 108); then in {@code $XDG_RUNTIME_DIR/ccr/}, or {@code /tmp/ccr-<user>/} without it
 *       ({@code %TEMP%\ccr\} on Windows).
 * </ul>
 */
public final class SocketPath {
    /** The longest socket path used as is; macOS allows 103 bytes, Linux 107. */
    static final int MAX_LENGTH = 100;

    private SocketPath() {}

    /** The socket for this config file, with the environment of this process. */
    public static Path of(Path ccrHome, Path configFile) {
        return of(ccrHome, configFile, System.getenv(), System.getProperty("user.name"), isWindows());
    }

    static Path of(Path ccrHome, Path configFile, Map<String, String> env, String user, boolean windows) {
        String home = key(ccrHome, windows);
        String name = hash(home + "\n" + key(configFile, windows)) + ".sock";
        Path preferred = Path.of(home, "rpc", name);
        if (preferred.toString().getBytes(StandardCharsets.UTF_8).length <= MAX_LENGTH) {
            return preferred;
        }
        if (windows) {
            String temp = env.getOrDefault("TEMP", System.getProperty("java.io.tmpdir"));
            return Path.of(temp, "ccr", name);
        }
        String runtime = env.get("XDG_RUNTIME_DIR");
        if (runtime != null && runtime.startsWith("/")) {
            return Path.of(runtime, "ccr", name);
        }
        return Path.of("/tmp", "ccr-" + user, name);
    }

    private static String key(Path path, boolean windows) {
        String text = path.toAbsolutePath().normalize().toString();
        return windows ? text.toLowerCase(Locale.ROOT) : text;
    }

    static String hash(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    static boolean isWindows() {
        return System.getProperty("os.name", "").startsWith("Windows");
    }
}
