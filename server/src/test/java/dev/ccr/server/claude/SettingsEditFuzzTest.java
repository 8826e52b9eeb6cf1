package dev.ccr.server.claude;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The settings-file editor behind {@code ccr claude enable/disable}, fuzzed with any file content: an edit either is
 * refused and leaves the file alone, or changes nothing but the keys it owns (every other byte is still there, in
 * order), and disable puts back the original byte for byte.
 */
class SettingsEditFuzzTest {
    private static final Path DIR = temporaryDirectory();
    private static final Path FILE = DIR.resolve("home/.claude/settings.json");
    private static final ClaudeSettings SETTINGS = new ClaudeSettings(
            new ClaudePaths(FILE, DIR.resolve("managed-settings.json")),
            DIR.resolve("ccr/claude-settings-journal.json"),
            DIR.resolve("ccr/claude-settings.lock"),
            ClaudeSettings.Checkpoints.NONE);
    private static final List<ClientEnvironment> TARGETS = List.of(
            new ClientEnvironment("http://127.0.0.1:3456", null),
            new ClientEnvironment("http://127.0.0.1:3000", "tok-\"team\"-\u00e9"));

    @FuzzTest(maxDuration = "5s")
    void enableTouchesOnlyItsKeysAndDisableRestoresTheFile(FuzzedDataProvider data) throws Exception {
        ClientEnvironment target = TARGETS.get(data.consumeInt(0, TARGETS.size() - 1));
        byte[] original = data.consumeRemainingAsBytes();
        Files.deleteIfExists(DIR.resolve("ccr/claude-settings-journal.json"));
        Files.createDirectories(FILE.getParent());
        Files.write(FILE, original);

        try {
            SETTINGS.enable(target, null, List.of());
        } catch (ClaudeSettingsException refused) {
            assertThat(Files.readAllBytes(FILE))
                    .as("a refused edit leaves the file alone")
                    .isEqualTo(original);
            return;
        }
        String before = new String(original, java.nio.charset.StandardCharsets.UTF_8);
        String enabled = Files.readString(FILE);
        assertThat(enabled).contains(target.baseUrl());
        if (!before.contains(ClaudeEnv.BASE_URL) && !before.contains(ClaudeEnv.AUTH_TOKEN)) {
            assertThat(isSubsequence(withoutSpace(before), withoutSpace(enabled)))
                    .as("every byte outside the router's keys is still there:\n%s\n---\n%s", before, enabled)
                    .isTrue();
        }

        SETTINGS.disable(target, List.of());
        assertThat(Files.readAllBytes(FILE)).as("disable restores the original").isEqualTo(original);
    }

    private static String withoutSpace(String text) {
        return text.replaceAll("\\s", "");
    }

    private static boolean isSubsequence(String part, String whole) {
        int at = 0;
        for (int i = 0; i < whole.length() && at < part.length(); i++) {
            if (whole.charAt(i) == part.charAt(at)) {
                at++;
            }
        }
        return at == part.length();
    }

    private static Path temporaryDirectory() {
        try {
            Path dir = Files.createTempDirectory("ccr-settings-fuzz");
            dir.toFile().deleteOnExit();
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
