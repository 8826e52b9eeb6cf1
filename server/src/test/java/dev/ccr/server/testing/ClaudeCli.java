package dev.ccr.server.testing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ccr.server.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The real Claude Code CLI ({@code @anthropic-ai/claude-code} from npm, installed under {@code server/e2e}), run
 * offline as CLAUDE-CODE-FACTS describes: a throw-away HOME and every switch that keeps it from reaching the internet
 * or updating itself.
 *
 * <p>Two versions are installed side by side ({@code server/e2e/package.json}): the one the tests first pinned and the
 * latest that installs, which differ on the wire (default model, gateway hint headers, tool search). Tests that run
 * the CLI take a {@link Version}, usually as a JUnit parameter ({@code @EnumSource(ClaudeCli.Version.class)}), so
 * every scenario runs on both.
 */
public final class ClaudeCli {
    private ClaudeCli() {}

    /** An installed CLI version, by the npm package folder that holds it. */
    public enum Version {
        /** 2.1.197: no gateway hint headers, tool search off behind a gateway. */
        V2_1_197("@anthropic-ai/claude-code"),
        /** The latest that installs (2.1.332 when pinned): hint headers, default model claude-opus-5-5. */
        LATEST("claude-code-latest");

        private final String packageFolder;

        Version(String packageFolder) {
            this.packageFolder = packageFolder;
        }

        /** The CLI's executable, or an error saying the build installs it. */
        public Path executable() {
            Path claude =
                    e2eDir().resolve("node_modules").resolve(packageFolder).resolve("bin/claude.exe");
            if (!Files.isExecutable(claude)) {
                throw new IllegalStateException("the Claude Code CLI is not installed at " + claude
                        + "; the build installs it (npm install in server/e2e) before integration tests");
            }
            return claude;
        }

        /** The version number as installed ({@code 2.1.332}), from its package.json. */
        public String number() {
            Path manifest =
                    e2eDir().resolve("node_modules").resolve(packageFolder).resolve("package.json");
            try {
                return Json.MAPPER.readTree(manifest.toFile()).path("version").asText();
            } catch (IOException e) {
                throw new IllegalStateException("cannot read " + manifest, e);
            }
        }

        /** Runs {@code claude -p prompt --output-format json extra…} of this version in {@code workDir}. */
        public Run print(Path workDir, Map<String, String> environment, String prompt, String... extra)
                throws IOException, InterruptedException {
            List<String> command =
                    new ArrayList<>(List.of(executable().toString(), "-p", prompt, "--output-format", "json"));
            command.addAll(List.of(extra));
            return run(workDir, environment, command);
        }

        @Override
        public String toString() {
            return "claude " + (this == LATEST ? "latest" : name().substring(1).replace('_', '.'));
        }
    }

    /** What a {@code claude -p … --output-format json} run printed and returned. */
    public record Run(int exitCode, String stdout, String stderr) {
        public JsonNode json() {
            try {
                return Json.MAPPER.readTree(stdout);
            } catch (IOException e) {
                throw new AssertionError(
                        "claude did not print JSON (exit " + exitCode + "):\n" + stdout + "\n" + stderr);
            }
        }

        public String result() {
            return json().path("result").asText();
        }
    }

    private static Path e2eDir() {
        return Path.of(System.getProperty("ccr.e2e.dir", "e2e"));
    }

    /** The latest version's executable. */
    public static Path executable() {
        return Version.LATEST.executable();
    }

    /** The environment from the offline recipe, pointing the CLI at {@code baseUrl}. */
    public static Map<String, String> environment(Path home, String baseUrl, String authToken) {
        return Map.ofEntries(
                Map.entry("HOME", home.toString()),
                Map.entry("ANTHROPIC_BASE_URL", baseUrl),
                Map.entry("ANTHROPIC_AUTH_TOKEN", authToken),
                Map.entry("CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC", "1"),
                Map.entry("DISABLE_TELEMETRY", "1"),
                Map.entry("DISABLE_ERROR_REPORTING", "1"),
                Map.entry("DISABLE_AUTOUPDATER", "1"),
                Map.entry("DISABLE_UPDATES", "1"),
                Map.entry("CLAUDE_CODE_MAX_RETRIES", "1"));
    }

    /** Runs {@code claude -p prompt --output-format json extra…} of the latest version in {@code workDir}. */
    public static Run print(Path workDir, Map<String, String> environment, String prompt, String... extra)
            throws IOException, InterruptedException {
        return Version.LATEST.print(workDir, environment, prompt, extra);
    }

    /** Runs a command line (the executable first) with this environment, and waits at most 180 s. */
    public static Run run(Path workDir, Map<String, String> environment, List<String> command)
            throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile());
        builder.environment().remove("ANTHROPIC_API_KEY");
        builder.environment().remove("CLAUDE_CONFIG_DIR");
        builder.environment().putAll(environment);
        Path out = Files.createTempFile("claude-out", ".txt");
        Path err = Files.createTempFile("claude-err", ".txt");
        Process process = builder.redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .start();
        if (!process.waitFor(180, TimeUnit.SECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            throw new AssertionError("claude did not finish in 180 s:\n" + Files.readString(err));
        }
        return new Run(
                process.exitValue(),
                Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }
}
