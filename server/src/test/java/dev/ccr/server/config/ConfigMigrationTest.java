package dev.ccr.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ccr.server.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ccr config migrate}: claude-code-router's file in ccr's format, routing exactly as before. */
class ConfigMigrationTest {
    private static final Map<String, String> ENV =
            Map.of("DEEPSEEK_API_KEY", "sk-fake-deepseek", "GEMINI_API_KEY", "fake-gemini-key");

    @TempDir
    Path directory;

    private Path write(String text) throws IOException {
        Path file = directory.resolve("config.json");
        Files.writeString(file, text, StandardCharsets.UTF_8);
        return file;
    }

    private static EffectiveConfig load(Path file) throws ConfigException {
        return new ConfigLoader(ENV::get).load(file, Overrides.NONE).config();
    }

    @Test
    void theReadmeExamplesRoundTripAndTheOriginalIsKept() throws Exception {
        String original = ClaudeCodeRouterFormatTest.readmeExamples();
        Path file = write(original);
        EffectiveConfig before = load(file);

        ConfigMigration.Result result = new ConfigMigration(ENV::get).migrate(file, false);

        assertThat(result.backup()).isEqualTo(directory.resolve("config.claude-code-router.json"));
        assertThat(Files.readString(result.backup())).isEqualTo(original);
        ConfigLoader.Loaded after = new ConfigLoader(ENV::get).load(file, Overrides.NONE);
        assertThat(after.format()).isEqualTo(ConfigFormat.CCR);
        assertThat(after.config()).isEqualTo(before);
        assertThat(Files.readString(file)).isEqualTo(result.text());

        JsonNode migrated = Json.MAPPER.readTree(result.text());
        assertThat(migrated.path("port").asInt()).isEqualTo(3456);
        assertThat(migrated.path("endpoints").get(1).path("apiKey").asText())
                .as("a key kept in the environment stays there")
                .isEqualTo("${DEEPSEEK_API_KEY}");
        assertThat(result.text()).doesNotContain("sk-fake-deepseek").doesNotContain("fake-gemini-key");
        assertThat(migrated.path("routes").path("default").asText()).isEqualTo("deepseek,deepseek-chat");
        assertThat(migrated.path("auth").path("tokens").get(0).path("name").asText())
                .isEqualTo("APIKEY");
        assertThat(migrated.path("proxy").asText()).isEqualTo("http://127.0.0.1:7890");

        assertThat(result.changes())
                .contains(
                        new ConfigMigration.Change(
                                "Providers[1] deepseek",
                                "endpoints[1]: openai https://api.deepseek.com, provider deepseek, output capped at"
                                        + " 8192 tokens, key ${DEEPSEEK_API_KEY}"),
                        new ConfigMigration.Change("Router.default", "routes.default: deepseek,deepseek-chat"),
                        new ConfigMigration.Change("PROXY_URL", "proxy"));
        assertThat(result.notCarried())
                .extracting(ConfigProblem::message)
                .anySatisfy(m -> assertThat(m).contains("\"tooluse\""))
                .noneSatisfy(m -> assertThat(m).contains("claude-code-router's format"));
    }

    @Test
    void aSecondMigrationKeepsTheFirstBackupAndRefusesCcrsOwnFormat() throws Exception {
        Path file =
                write("{\"Providers\": [{\"name\": \"p\", \"api_base_url\": \"https://p.example/v1/chat/completions\","
                        + " \"api_key\": \"k\"}], \"Router\": {\"default\": \"p,m\"}}");
        Files.writeString(directory.resolve("config.claude-code-router.json"), "an older copy");
        ConfigMigration.Result result = new ConfigMigration(ENV::get).migrate(file, false);
        assertThat(result.backup()).isEqualTo(directory.resolve("config.claude-code-router.1.json"));
        assertThat(Files.readString(directory.resolve("config.claude-code-router.json")))
                .isEqualTo("an older copy");

        String migrated = Files.readString(file);
        assertThatThrownBy(() -> new ConfigMigration(ENV::get).migrate(file, false))
                .isInstanceOf(ConfigMigration.Refused.class)
                .hasMessageContaining("already in ccr's format");
        assertThat(Files.readString(file)).isEqualTo(migrated);
    }

    @Test
    void aDryRunWritesNothingAndABrokenFileIsRefusedWithItsProblems() throws Exception {
        String original =
                "{\"Providers\": [{\"name\": \"p\", \"api_base_url\": \"https://p.example/v1/chat/completions\","
                        + " \"api_key\": \"$UNSET_KEY\", \"transformer\": {\"use\": [\"tooluse\"]}}],"
                        + " \"Router\": {\"default\": \"p,m\"}}";
        Path file = write(original);
        ConfigMigration.Result dry = new ConfigMigration(ENV::get).migrate(file, true);
        assertThat(dry.backup()).isNull();
        assertThat(dry.notCarried())
                .as("what the migrated file still warns about is not left behind")
                .singleElement()
                .satisfies(p -> assertThat(p.message()).contains("\"tooluse\""));
        assertThat(dry.text()).contains("\"endpoints\"");
        assertThat(Files.readString(file)).isEqualTo(original);
        try (var files = Files.list(directory)) {
            assertThat(files).containsExactly(file);
        }

        Path broken = write("{\"Providers\": [], \"Router\": {\"default\": \"nobody,m\"}}");
        assertThatThrownBy(() -> new ConfigMigration(ENV::get).migrate(broken, false))
                .isInstanceOf(ConfigMigration.Refused.class)
                .hasMessageContaining("fix them first")
                .hasMessageContaining("$.Router.default: no endpoint is named \"nobody\"");
        assertThatThrownBy(() -> new ConfigMigration(ENV::get).migrate(directory.resolve("none.json"), false))
                .hasMessageContaining("there is no config file");
    }
}
