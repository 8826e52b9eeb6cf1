package dev.ccr.server.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ccr.server.testing.CcrProcess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ccr completion bash|zsh|fish} from the real jar, each script loaded into its real shell and asked for
 * completions the way the shell asks when the user presses Tab. bash is everywhere; zsh and fish are checked where
 * installed (CI installs both).
 */
class CompletionIT {
    @TempDir
    static Path home;

    private static Path bash;
    private static Path fish;

    @BeforeAll
    static void scripts() throws Exception {
        bash = script("bash");
        fish = script("fish");
        assertThat(Files.readString(script("zsh"))).isEqualTo(Files.readString(bash));
    }

    private static Path script(String shell) throws Exception {
        CcrProcess.Result result = new CcrProcess(home).run(30, "completion", shell);
        assertThat(result.exitCode()).as(result.stderr()).isZero();
        Path file = home.resolve("ccr." + shell);
        Files.writeString(file, result.stdout());
        return file;
    }

    /** Runs a shell command and returns its standard output. */
    private static String run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command)
                .directory(home.toFile())
                .redirectErrorStream(true)
                .start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(out).isZero();
        return out;
    }

    private static boolean installed(String shell) {
        return Arrays.stream(System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator))
                .anyMatch(dir -> Files.isExecutable(Path.of(dir, shell)));
    }

    /** What bash offers for the words typed so far (the last one being completed), as bash's Tab would. */
    private static List<String> bashCompletes(String... words) throws Exception {
        return List.of(run(
                        "bash",
                        "-c",
                        "source " + bash + "; COMP_WORDS=(" + String.join(" ", quoted(words))
                                + "); COMP_CWORD=" + (words.length - 1) + "; _complete_ccr ccr '"
                                + words[words.length - 1] + "' '" + words[words.length - 2]
                                // compopt says it is not run by a real Tab here; the replies are the same.
                                + "' 2>/dev/null; printf '%s\\n' \"${COMPREPLY[@]}\"")
                .strip()
                .split("\n"));
    }

    private static List<String> quoted(String... words) {
        List<String> out = new ArrayList<>();
        for (String word : words) {
            out.add("'" + word + "'");
        }
        return out;
    }

    @Test
    void bashCompletesSubcommandsNestedSubcommandsOptionsAndTheirValues() throws Exception {
        assertThat(bashCompletes("ccr", ""))
                .contains("start", "stop", "status", "config", "claude", "completion")
                .doesNotContain("cds-training");
        assertThat(bashCompletes("ccr", "config", "")).containsExactlyInAnyOrder("check", "path", "migrate");
        assertThat(bashCompletes("ccr", "config", "check", "--j")).containsExactly("--json");
        assertThat(bashCompletes("ccr", "env", "--shell", "")).containsExactlyInAnyOrder("posix", "fish", "powershell");
        assertThat(bashCompletes("ccr", "completion", "")).containsExactlyInAnyOrder("bash", "zsh", "fish");
    }

    @Test
    void zshLoadsTheSameScriptThroughItsBashCompletionSupport() throws Exception {
        assumeTrue(installed("zsh"), "zsh is not installed");
        String offered = run(
                "zsh",
                "-f",
                "-c",
                "source " + bash + "; COMP_WORDS=(ccr claude ''); COMP_CWORD=2; _complete_ccr ccr '' claude;"
                        + " print -l $COMPREPLY");
        assertThat(offered.strip().lines()).containsExactlyInAnyOrder("enable", "disable", "status");
    }

    @Test
    void fishCompletesByWhereTheCommandLineIsInTheTree() throws Exception {
        assumeTrue(installed("fish"), "fish is not installed");
        run("fish", "--no-execute", fish.toString());
        assertThat(fishCompletes("ccr "))
                .contains("start", "config", "claude", "completion")
                .doesNotContain("check");
        assertThat(fishCompletes("ccr config ")).containsExactlyInAnyOrder("check", "path", "migrate");
        assertThat(fishCompletes("ccr claude status --"))
                .contains("--json", "--project")
                .as("the top-level status command's options stay with it")
                .doesNotContain("--dry-run");
        assertThat(fishCompletes("ccr --help config check --j")).containsExactly("--json");
        assertThat(fishCompletes("ccr env --shell ")).containsExactlyInAnyOrder("posix", "fish", "powershell");
        assertThat(fishCompletes("ccr config check --config ")).contains("ccr.fish");
        assertThat(fishCompletes("ccr help ")).contains("start", "config");
    }

    private static List<String> fishCompletes(String line) throws Exception {
        return run("fish", "--no-config", "-c", "source " + fish + "; complete -C '" + line + "'")
                .lines()
                .map(l -> l.split("\t", 2)[0])
                .toList();
    }
}
