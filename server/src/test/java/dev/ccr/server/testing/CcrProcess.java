package dev.ccr.server.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the real shaded jar ({@code ccr.jar}, built by {@code package}) as a user would, in a throw-away home directory
 * so nothing touches the real {@code ~/.claude-code-router} or {@code ~/.claude}.
 */
public final class CcrProcess {
    private final Path home;
    private final Map<String, String> extraEnvironment;

    public CcrProcess(Path home) {
        this(home, Map.of());
    }

    public CcrProcess(Path home, Map<String, String> extraEnvironment) {
        this.home = home;
        this.extraEnvironment = extraEnvironment;
    }

    /** The outcome of a finished command. */
    public record Result(int exitCode, String stdout, String stderr) {
        public String output() {
            return stdout + stderr;
        }
    }

    public static Path jar() {
        String jar = System.getProperty("ccr.jar");
        if (jar == null || !Files.isRegularFile(Path.of(jar))) {
            throw new IllegalStateException("the shaded jar is missing (" + jar + "): run the tests with 'verify'");
        }
        return Path.of(jar);
    }

    public Path home() {
        return home;
    }

    /** The router's own directory under the fake home. */
    public Path ccrHome() {
        return home.resolve(".claude-code-router");
    }

    public ProcessBuilder builder(String... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-jar");
        command.add(jar().toString());
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        Map<String, String> environment = builder.environment();
        environment.remove("CCR_HOME");
        environment.remove("ANTHROPIC_AUTH_TOKEN");
        environment.remove("ANTHROPIC_API_KEY");
        environment.remove("ANTHROPIC_BASE_URL");
        environment.put("HOME", home.toString());
        environment.putAll(extraEnvironment);
        return builder;
    }

    /** Runs a command to completion (bounded by {@code timeoutSeconds}). */
    public Result run(long timeoutSeconds, String... args) throws IOException, InterruptedException {
        Path out = Files.createTempFile("ccr-out", ".txt");
        Path err = Files.createTempFile("ccr-err", ".txt");
        Process process = builder(args)
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .start();
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            throw new AssertionError("ccr " + String.join(" ", args) + " did not finish within " + timeoutSeconds
                    + " s; stderr:\n" + Files.readString(err));
        }
        Result result = new Result(
                process.exitValue(),
                Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
        Files.deleteIfExists(out);
        Files.deleteIfExists(err);
        return result;
    }
}
