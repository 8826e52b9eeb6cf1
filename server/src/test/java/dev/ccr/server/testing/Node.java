package dev.ccr.server.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs programs from the end-to-end client folder ({@code server/e2e}, installed by Maven before the ITs). */
public final class Node {
    private Node() {}

    /** The folder holding the npm-installed clients, from the {@code ccr.e2e.dir} system property. */
    public static Path e2eDir() {
        String dir = System.getProperty("ccr.e2e.dir");
        if (dir == null) {
            throw new IllegalStateException("system property ccr.e2e.dir is not set; run the ITs through Maven");
        }
        Path path = Path.of(dir);
        if (!path.resolve("node_modules").toFile().isDirectory()) {
            throw new IllegalStateException("no node_modules in " + path + "; run npm install there (Maven does it in"
                    + " pre-integration-test)");
        }
        return path;
    }

    /** The result of a finished process. */
    public record Result(int exitCode, String stdout, String stderr) {}

    /** Runs a command in {@code e2eDir}, with extra environment, and waits at most {@code timeoutSeconds}. */
    public static Result run(List<String> command, Map<String, String> environment, long timeoutSeconds)
            throws IOException, InterruptedException {
        return run(command, environment, e2eDir(), timeoutSeconds);
    }

    /** Runs a command in {@code dir}, with extra environment, and waits at most {@code timeoutSeconds}. */
    public static Result run(List<String> command, Map<String, String> environment, Path dir, long timeoutSeconds)
            throws IOException, InterruptedException {
        Path out = java.nio.file.Files.createTempFile("ccr-node", ".out");
        Path err = java.nio.file.Files.createTempFile("ccr-node", ".err");
        ProcessBuilder builder = new ProcessBuilder(new ArrayList<>(command))
                .directory(dir.toFile())
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        builder.environment().putAll(environment);
        Process process = builder.start();
        try {
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                throw new AssertionError(String.join(" ", command) + " did not finish in " + timeoutSeconds
                        + " s; stderr: " + java.nio.file.Files.readString(err, StandardCharsets.UTF_8));
            }
            return new Result(
                    process.exitValue(),
                    java.nio.file.Files.readString(out, StandardCharsets.UTF_8),
                    java.nio.file.Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            java.nio.file.Files.deleteIfExists(out);
            java.nio.file.Files.deleteIfExists(err);
        }
    }
}
