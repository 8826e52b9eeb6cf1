package dev.ccr.server.claude;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ccr.server.config.ConfigLoader;
import dev.ccr.server.config.EffectiveConfig;
import dev.ccr.server.config.Overrides;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The feature switches {@code ccr claude enable} writes next to the address: the request-class hints always, tool
 * search and fine-grained tool streaming when the default route is all Anthropic; never over the user's own value,
 * and restored exactly like the rest.
 */
class ClaudeFeatureSwitchesTest {
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

    private static EffectiveConfig config(String defaultEndpoint) throws Exception {
        String text =
                """
                {"endpoints": [
                   {"name": "anthropic", "type": "anthropic", "baseUrl": "https://api.anthropic.com/v1"},
                   {"name": "glm", "type": "openai", "baseUrl": "https://glm.example/v1", "apiKey": "k"}],
                 "defaultEndpoint": "%s"}
                """
                        .formatted(defaultEndpoint);
        return new ConfigLoader(n -> null)
                .parse(text.getBytes(StandardCharsets.UTF_8), Path.of("c.json"), Overrides.NONE)
                .config();
    }

    private static ClientEnvironment router(String defaultEndpoint) throws Exception {
        return new ClientEnvironment("http://127.0.0.1:3456", null, ClaudeEnv.features(config(defaultEndpoint)));
    }

    private void write(String text) throws Exception {
        Files.createDirectories(settingsFile.getParent());
        Files.writeString(settingsFile, text, StandardCharsets.UTF_8);
    }

    private String read() throws Exception {
        return Files.readString(settingsFile, StandardCharsets.UTF_8);
    }

    @Test
    void theFeaturesDependOnTheDefaultRoute() throws Exception {
        assertThat(ClaudeEnv.features(config("anthropic")))
                .containsExactly(
                        Map.entry("CLAUDE_CODE_GATEWAY_HINT_HEADERS", "1"),
                        Map.entry("ENABLE_TOOL_SEARCH", "true"),
                        Map.entry("CLAUDE_CODE_ENABLE_FINE_GRAINED_TOOL_STREAMING", "1"));
        assertThat(ClaudeEnv.features(config("glm")))
                .containsExactly(Map.entry("CLAUDE_CODE_GATEWAY_HINT_HEADERS", "1"));
    }

    @Test
    void enableWritesThemAndDisableRestoresTheFileExactly() throws Exception {
        String original = "{\n  \"env\": {\n    \"DISABLE_TELEMETRY\": \"1\"\n  }\n}\n";
        write(original);

        settings.enable(router("anthropic"), null, List.of());
        String enabled = read();
        assertThat(enabled)
                .contains("\"CLAUDE_CODE_GATEWAY_HINT_HEADERS\": \"1\"")
                .contains("\"ENABLE_TOOL_SEARCH\": \"true\"")
                .contains("\"CLAUDE_CODE_ENABLE_FINE_GRAINED_TOOL_STREAMING\": \"1\"");

        settings.disable(router("anthropic"), List.of());
        assertThat(read()).isEqualTo(original);
    }

    @Test
    void theUsersOwnChoiceStays() throws Exception {
        String original = "{\"env\": {\"ENABLE_TOOL_SEARCH\": \"false\", \"CLAUDE_CODE_GATEWAY_HINT_HEADERS\": \"0\"}}";
        write(original);

        settings.enable(router("anthropic"), null, List.of());
        assertThat(read())
                .contains("\"ENABLE_TOOL_SEARCH\": \"false\"")
                .contains("\"CLAUDE_CODE_GATEWAY_HINT_HEADERS\": \"0\"")
                .contains("\"CLAUDE_CODE_ENABLE_FINE_GRAINED_TOOL_STREAMING\": \"1\"");

        settings.disable(router("anthropic"), List.of());
        assertThat(read()).isEqualTo(original);
    }

    @Test
    void enablingAgainForATranslatedDefaultTakesTheAnthropicOnlySwitchesBack() throws Exception {
        String original = "{\"env\": {}}";
        write(original);
        settings.enable(router("anthropic"), null, List.of());

        settings.enable(router("glm"), null, List.of());
        assertThat(read())
                .contains("CLAUDE_CODE_GATEWAY_HINT_HEADERS")
                .doesNotContain("ENABLE_TOOL_SEARCH")
                .doesNotContain("FINE_GRAINED");

        settings.disable(router("glm"), List.of());
        assertThat(read()).isEqualTo(original);
    }

    @Test
    void theStatusLineIsOfferedOnlyWhereThereIsNoneAndRestoredExactly() throws Exception {
        String original = "{\n  \"model\": \"opus\"\n}\n";
        write(original);

        settings.enable(router("glm"), null, List.of(), "/opt/ccr/ccr statusline");
        assertThat(read())
                .contains("\"statusLine\": {\"type\": \"command\", \"command\": \"/opt/ccr/ccr statusline\","
                        + " \"padding\": 0}");
        // Enabling again with the launcher elsewhere updates the router's own status line.
        settings.enable(router("glm"), null, List.of(), "/usr/local/bin/ccr statusline");
        assertThat(read()).contains("/usr/local/bin/ccr statusline").doesNotContain("/opt/ccr");

        settings.disable(router("glm"), List.of());
        assertThat(read()).isEqualTo(original);

        String own = "{\"statusLine\": {\"type\": \"command\", \"command\": \"~/.claude/my-line.sh\"}}";
        write(own);
        settings.enable(router("glm"), null, List.of(), "/opt/ccr/ccr statusline");
        assertThat(read()).contains("my-line.sh").doesNotContain("ccr statusline");
        settings.disable(router("glm"), List.of());
        assertThat(read()).isEqualTo(own);
    }
}
