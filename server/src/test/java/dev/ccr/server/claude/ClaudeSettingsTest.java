package dev.ccr.server.claude;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.ccr.protocol.claude.ClaudeKeyInfo;
import dev.ccr.protocol.claude.ClaudeModels;
import dev.ccr.protocol.claude.ClaudeSettingsResult;
import dev.ccr.protocol.claude.KeyState;
import dev.ccr.protocol.claude.SettingsOverride;
import dev.ccr.protocol.claude.SettingsScope;
import dev.ccr.protocol.status.RoutingState;
import dev.ccr.server.testing.FakeKeys;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClaudeSettingsTest {
    private static final ClientEnvironment ROUTER = new ClientEnvironment("http://127.0.0.1:3456", null);

    @TempDir
    Path temp;

    private Path settingsFile;
    private ClaudeSettings settings;

    @BeforeEach
    void setUp() {
        settingsFile = temp.resolve("home/.claude/settings.json");
        settings = new ClaudeSettings(
                new ClaudePaths(settingsFile, temp.resolve("managed-settings.json")),
                temp.resolve("ccr/claude-settings-journal.json"),
                temp.resolve("ccr/claude-settings.lock"),
                ClaudeSettings.Checkpoints.NONE);
    }

    private void write(String text) throws Exception {
        Files.createDirectories(settingsFile.getParent());
        Files.writeString(settingsFile, text, StandardCharsets.UTF_8);
    }

    private String read() throws Exception {
        return Files.readString(settingsFile, StandardCharsets.UTF_8);
    }

    @Test
    void enableWritesOnlyOurKeysAndDisableRestoresTheFileExactly() throws Exception {
        String original =
                """
                {
                  "permissions": { "allow": ["Bash(git diff:*)"] },
                  "env": {
                    "DISABLE_TELEMETRY": "1",
                    "ANTHROPIC_BASE_URL": "https:\\/\\/corp-gateway.example.com"
                  },
                  "model": "opus"
                }
                """;
        write(original);

        ClaudeSettingsResult enabled =
                settings.enable(ROUTER, new ClaudeModels(null, null, null, "glm,glm-4.5-air", null), List.of());

        assertThat(read())
                .isEqualTo(
                        """
                {
                  "permissions": { "allow": ["Bash(git diff:*)"] },
                  "env": {
                    "DISABLE_TELEMETRY": "1",
                    "ANTHROPIC_BASE_URL": "http://127.0.0.1:3456",
                    "ANTHROPIC_AUTH_TOKEN": "ccr",
                    "ANTHROPIC_DEFAULT_HAIKU_MODEL": "glm,glm-4.5-air"
                  },
                  "model": "opus"
                }
                """);
        assertThat(enabled.enabled()).isTrue();
        assertThat(enabled.changedKeys())
                .containsExactly("ANTHROPIC_BASE_URL", "ANTHROPIC_AUTH_TOKEN", "ANTHROPIC_DEFAULT_HAIKU_MODEL");
        assertThat(enabled.keys())
                .extracting(ClaudeKeyInfo::name, ClaudeKeyInfo::state, ClaudeKeyInfo::value)
                .contains(
                        org.assertj.core.groups.Tuple.tuple(
                                "ANTHROPIC_BASE_URL", KeyState.ROUTER, "http://127.0.0.1:3456"),
                        org.assertj.core.groups.Tuple.tuple("ANTHROPIC_AUTH_TOKEN", KeyState.ROUTER, null));

        ClaudeSettingsResult disabled = settings.disable(ROUTER, List.of());

        assertThat(read()).isEqualTo(original); // the escaped "\/" of the user's URL included
        assertThat(disabled.enabled()).isFalse();
        assertThat(disabled.keptUserKeys()).isEmpty();
        assertThat(disabled.message()).startsWith("routing off: restored ANTHROPIC_BASE_URL");
    }

    @Test
    void aMissingFileIsCreatedAndGoneAgainAfterDisable() throws Exception {
        settings.enable(ROUTER, null, List.of());
        assertThat(read())
                .isEqualTo("{\n  \"env\": {\n    \"ANTHROPIC_BASE_URL\": \"http://127.0.0.1:3456\",\n"
                        + "    \"ANTHROPIC_AUTH_TOKEN\": \"ccr\"\n  }\n}\n");
        settings.disable(ROUTER, List.of());
        assertThat(settingsFile).doesNotExist();
    }

    @Test
    void aFileThatWasMissingStaysWhenSomethingElseWasWrittenToItSince() throws Exception {
        settings.enable(ROUTER, null, List.of());
        write(read().replace("{\n  \"env\"", "{\n  \"theme\": \"dark\",\n  \"env\""));
        settings.disable(ROUTER, List.of());
        assertThat(read()).isEqualTo("{\n  \"theme\": \"dark\"\n}\n");
    }

    @Test
    void temporaryFilesLeftByAnInterruptedWriteAreCleanedUpNextTime() throws Exception {
        write("{}\n");
        Path leftover = settingsFile.resolveSibling(".settings.json4711081542.tmp");
        Files.write(leftover, new byte[1 << 20]);
        Path unrelated = settingsFile.resolveSibling(".settings.json.backup.tmp");
        Files.writeString(unrelated, "mine");

        settings.enable(ROUTER, null, List.of());

        assertThat(leftover).doesNotExist();
        assertThat(unrelated).exists();
        try (var siblings = Files.list(settingsFile.getParent())) {
            assertThat(siblings.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("settings.json", ".settings.json.backup.tmp");
        }
    }

    @Test
    void aFailedWriteSaysWhyAndWhereNotTheNameOfATemporaryFile() {
        // Nobody may create files in /sys, not even root (which ignores permission bits).
        Path unwritable = Path.of("/sys/ccr-test-settings.json");
        ClaudeSettings refused = new ClaudeSettings(
                new ClaudePaths(unwritable, temp.resolve("managed-settings.json")),
                temp.resolve("ccr/claude-settings-journal.json"),
                temp.resolve("ccr/claude-settings.lock"),
                ClaudeSettings.Checkpoints.NONE);

        ClaudeSettingsException failure =
                catchThrowableOfType(ClaudeSettingsException.class, () -> refused.enable(ROUTER, null, List.of()));

        assertThat(failure.getMessage())
                .startsWith("cannot write " + unwritable + ": ")
                .contains("ccr writes a temporary file in /sys")
                .doesNotContainPattern("\\.ccr-test-settings\\.json\\d+\\.tmp");
        assertThat(unwritable).doesNotExist();
    }

    @Test
    void anEmptyFileComesBackEmpty() throws Exception {
        write(" \n");
        settings.enable(ROUTER, null, List.of());
        assertThat(read()).contains("\"ANTHROPIC_BASE_URL\": \"http://127.0.0.1:3456\"");
        settings.disable(ROUTER, List.of());
        assertThat(read()).isEqualTo(" \n");
    }

    @Test
    void aValueTheUserChangedWhileRoutingWasOnIsKeptAndReported() throws Exception {
        write("{\n  \"env\": {\n    \"ANTHROPIC_AUTH_TOKEN\": \"sk-user-own\"\n  }\n}\n");
        settings.enable(new ClientEnvironment("http://127.0.0.1:3456", "router-token-1"), null, List.of());
        assertThat(read()).contains("\"ANTHROPIC_AUTH_TOKEN\": \"router-token-1\"");
        write(read().replace("http://127.0.0.1:3456", "https://elsewhere.example.com"));

        ClaudeSettingsResult disabled = settings.disable(ROUTER, List.of());

        assertThat(read())
                .isEqualTo("{\n  \"env\": {\n    \"ANTHROPIC_AUTH_TOKEN\": \"sk-user-own\",\n"
                        + "    \"ANTHROPIC_BASE_URL\": \"https://elsewhere.example.com\"\n  }\n}\n");
        assertThat(disabled.changedKeys()).containsExactly("ANTHROPIC_AUTH_TOKEN");
        assertThat(disabled.keptUserKeys()).containsExactly("ANTHROPIC_BASE_URL");
        assertThat(disabled.message()).contains("kept ANTHROPIC_BASE_URL, which you changed");
    }

    @Test
    void theUsersOwnTokenStaysWhenTheRouterNeedsNone() throws Exception {
        write("{\"env\": {\"ANTHROPIC_AUTH_TOKEN\": \"" + FakeKeys.anthropic("oat-own") + "\"}}");
        ClaudeSettingsResult enabled = settings.enable(ROUTER, null, List.of());
        assertThat(read())
                .isEqualTo("{\"env\": {\"ANTHROPIC_AUTH_TOKEN\": \"" + FakeKeys.anthropic("oat-own") + "\", "
                        + "\"ANTHROPIC_BASE_URL\": \"http://127.0.0.1:3456\"}}");
        assertThat(enabled.keys())
                .filteredOn(k -> k.name().equals("ANTHROPIC_AUTH_TOKEN"))
                .extracting(ClaudeKeyInfo::state)
                .containsExactly(KeyState.USER);
    }

    @Test
    void enablingAgainUpdatesOurValuesAndKeepsTheOriginalRecord() throws Exception {
        String original = "{\"env\": {\"ANTHROPIC_BASE_URL\": \"https://corp.example.com\"}}";
        write(original);
        settings.enable(ROUTER, null, List.of());
        settings.enable(new ClientEnvironment("http://127.0.0.1:4000", null), null, List.of());
        assertThat(read()).contains("\"ANTHROPIC_BASE_URL\": \"http://127.0.0.1:4000\"");
        settings.disable(ROUTER, List.of());
        assertThat(read()).isEqualTo(original);
    }

    @Test
    void anUnparsableFileIsRefusedAndLeftUntouched() throws Exception {
        String broken = "{\n  \"env\": {\n    \"A\": \"1\",\n  }\n}\n";
        write(broken);
        ClaudeSettingsException e =
                catchThrowableOfType(ClaudeSettingsException.class, () -> settings.enable(ROUTER, null, List.of()));
        assertThat(e.kind()).isEqualTo(ClaudeSettingsException.Kind.UNREADABLE);
        assertThat(e.getMessage())
                .isEqualTo(settingsFile + ":4:3: not valid JSON (expected a member name in double quotes, found '}');"
                        + " fix the file and try again; it was not changed");
        assertThat(read()).isEqualTo(broken);
        assertThat(temp.resolve("ccr/claude-settings-journal.json")).doesNotExist();
    }

    @Test
    void anEnvThatIsNotAnObjectIsRefused() throws Exception {
        write("{\"env\": [\"ANTHROPIC_BASE_URL=x\"]}");
        ClaudeSettingsException e =
                catchThrowableOfType(ClaudeSettingsException.class, () -> settings.enable(ROUTER, null, List.of()));
        assertThat(e.getMessage()).contains(":1:9: \"env\" must be an object of variables");
        assertThat(read()).isEqualTo("{\"env\": [\"ANTHROPIC_BASE_URL=x\"]}");
    }

    @Test
    void disableWithoutEnableChangesNothing() throws Exception {
        write("{\"env\": {\"ANTHROPIC_BASE_URL\": \"http://127.0.0.1:3456\"}}");
        ClaudeSettingsResult result = settings.disable(ROUTER, List.of());
        assertThat(result.message()).isEqualTo("routing was not turned on by ccr; nothing to restore");
        assertThat(read()).isEqualTo("{\"env\": {\"ANTHROPIC_BASE_URL\": \"http://127.0.0.1:3456\"}}");
    }

    @Test
    void projectFilesThatOverrideOursAreReported() throws Exception {
        Path project = temp.resolve("project");
        Files.createDirectories(project.resolve(".claude"));
        Files.writeString(
                project.resolve(".claude/settings.local.json"),
                "{\"env\": {\"ANTHROPIC_BASE_URL\": \"https://stale.example.com\"}}");
        Files.writeString(
                project.resolve(".claude/settings.json"),
                "{\"env\": {\"ANTHROPIC_BASE_URL\": \"http://127.0.0.1:3456\"}}");

        ClaudeSettingsResult enabled = settings.enable(ROUTER, null, List.of(project));

        assertThat(enabled.overrides())
                .containsExactly(
                        new SettingsOverride(
                                project.resolve(".claude/settings.local.json").toString(),
                                SettingsScope.LOCAL,
                                "ANTHROPIC_BASE_URL",
                                false),
                        new SettingsOverride(
                                project.resolve(".claude/settings.json").toString(),
                                SettingsScope.PROJECT,
                                "ANTHROPIC_BASE_URL",
                                true));
        ClaudeKeyInfo baseUrl = enabled.keys().get(0);
        assertThat(baseUrl.effectiveScope()).isEqualTo(SettingsScope.LOCAL);
        assertThat(enabled.message())
                .endsWith("; but " + project.resolve(".claude/settings.local.json")
                        + " sets ANTHROPIC_BASE_URL, which wins there");
        assertThat(settings.routing(ROUTER, List.of(project))).isEqualTo(RoutingState.OVERRIDDEN);
        assertThat(settings.routing(ROUTER, List.of())).isEqualTo(RoutingState.ON);
    }

    @Test
    void aSymlinkedSettingsFileStaysALinkAndKeepsItsPermissions() throws Exception {
        Path real = temp.resolve("dotfiles/claude-settings.json");
        Files.createDirectories(real.getParent());
        Files.writeString(real, "{}");
        Files.setPosixFilePermissions(real, PosixFilePermissions.fromString("rw-------"));
        Files.createDirectories(settingsFile.getParent());
        Files.createSymbolicLink(settingsFile, real);

        settings.enable(ROUTER, null, List.of());

        assertThat(Files.isSymbolicLink(settingsFile)).isTrue();
        assertThat(Files.readString(real)).contains("ANTHROPIC_BASE_URL");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(real)))
                .isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(
                        Files.getPosixFilePermissions(temp.resolve("ccr/claude-settings-journal.json"))))
                .isEqualTo("rw-------");
    }

    @Test
    void claudeConfigDirAndHomeAreHonoured() {
        assertThat(ClaudePaths.of(name -> name.equals("CLAUDE_CONFIG_DIR") ? "/cfg/claude" : "/home/u", "Linux")
                        .userSettings())
                .isEqualTo(Path.of("/cfg/claude/settings.json"));
        assertThat(ClaudePaths.of(name -> name.equals("HOME") ? "/home/u" : null, "Linux")
                        .userSettings())
                .isEqualTo(Path.of("/home/u/.claude/settings.json"));
    }
}
