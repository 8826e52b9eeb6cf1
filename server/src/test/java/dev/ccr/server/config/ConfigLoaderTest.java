package dev.ccr.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
    /** The file in the README, which users copy from the usual guides: it must work as written. */
    static final String SEED =
            """
            {
              "port": 3000,
              "logLevel": "info",
              "endpoints": [
                { "name": "anthropic", "type": "anthropic", "apiKey": "your-anthropic-api-key", "baseUrl": "https://api.anthropic.com/v1" },
                { "name": "glm", "type": "custom", "apiKey": "your-glm-api-key", "baseUrl": "https://api.glm.example.com/v1",
                  "headers": { "Content-Type": "application/json" } }
              ],
              "defaultEndpoint": "anthropic",
              "cache": { "enabled": true, "ttl": 3600 }
            }
            """;

    private static final Path FILE = Path.of("/home/u/.claude-code-router/config.json");

    private final ConfigLoader loader = new ConfigLoader(Map.of("GLM_KEY", "sk-glm-secret")::get);

    private EffectiveConfig parse(String text) throws ConfigException {
        return loader.parse(text.getBytes(StandardCharsets.UTF_8), FILE, Overrides.NONE)
                .config();
    }

    private String problemsOf(String text) {
        try {
            parse(text);
        } catch (ConfigException e) {
            return e.getMessage();
        }
        throw new AssertionError("expected the config to be refused");
    }

    @Test
    void theSeedConfigLoadsWithTheDocumentedMeaning() throws ConfigException {
        EffectiveConfig config = parse(SEED);
        assertThat(config.port()).isEqualTo(3000);
        assertThat(config.host()).isEqualTo("127.0.0.1");
        assertThat(config.logLevel()).isEqualTo(LogLevel.INFO);
        assertThat(config.defaultEndpoint()).isEqualTo("anthropic");
        assertThat(config.cache().enabled()).isTrue();
        assertThat(config.cache().ttl()).hasSeconds(3600);
        Endpoint anthropic = config.endpoint("anthropic").orElseThrow();
        assertThat(anthropic.format()).isEqualTo(WireFormat.ANTHROPIC);
        assertThat(anthropic.url("/messages")).isEqualTo("https://api.anthropic.com/v1/messages");
        assertThat(anthropic.apiKey().reveal()).isEqualTo("your-anthropic-api-key");
        Endpoint glm = config.endpoint("glm").orElseThrow();
        assertThat(glm.format())
                .as("custom speaks OpenAI unless told otherwise")
                .isEqualTo(WireFormat.OPENAI);
        assertThat(glm.headers()).containsKey("Content-Type");
    }

    @Test
    void aFileJacksonTakesForUtf32IsRefusedWithAProblemNotACrash() {
        // Found by ConfigLoaderFuzzTest: a NUL-padded start makes Jackson guess UTF-32, then fail on the rest.
        assertThat(problemsOf("\n\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000{\"endpoints\": []}"))
                .startsWith(FILE.toString())
                .contains("not UTF-8, UTF-16 or UTF-32 text");
    }

    @Test
    void aTrailingSlashOnTheBaseUrlIsHarmless() throws ConfigException {
        EffectiveConfig config = parse(
                """
                {"endpoints": [{"name": "a", "type": "anthropic", "baseUrl": "https://api.anthropic.com/v1/"}]}""");
        assertThat(config.endpoints().get(0).url("/messages")).isEqualTo("https://api.anthropic.com/v1/messages");
    }

    @Test
    void apiKeysReadEnvironmentVariablesAndNeverPrint() throws ConfigException {
        EffectiveConfig config = parse(
                """
                {"endpoints": [{"name": "glm", "type": "openai", "baseUrl": "https://x.example/v4",
                  "apiKey": "${GLM_KEY}"}]}""");
        Endpoint glm = config.endpoints().get(0);
        assertThat(glm.apiKey().reveal()).isEqualTo("sk-glm-secret");
        assertThat(glm.toString()).doesNotContain("sk-glm-secret");
        assertThat(config.toString()).doesNotContain("sk-glm-secret");
    }

    @Test
    void anUnsetVariableIsAWarningNamingTheVariableNotAFailure() throws ConfigException {
        ConfigLoader.Loaded loaded = loader.parse(
                """
                {"endpoints": [{"name": "ds", "type": "openai", "baseUrl": "https://x.example/v1",
                  "apiKey": "${DEEPSEEK_KEY}"}]}"""
                        .getBytes(StandardCharsets.UTF_8),
                FILE,
                Overrides.NONE);
        assertThat(loaded.config().endpoints().get(0).apiKey().isAvailable()).isFalse();
        assertThat(loaded.warnings()).singleElement().satisfies(w -> {
            assertThat(w.path()).isEqualTo("$.endpoints[0].apiKey");
            assertThat(w.message()).contains("DEEPSEEK_KEY is not set");
        });
    }

    @Test
    void anUnknownKeyIsLocatedAndTheLikelyKeySuggested() {
        String message = problemsOf(
                """
                {
                  "prot": 3000,
                  "endpoints": [{"name": "a", "type": "anthropic", "baseUrl": "https://x.example/v1"}]
                }""");
        assertThat(message)
                .startsWith(FILE + ":2:3: $.prot: unknown key \"prot\" (did you mean \"port\"?)")
                .contains("allowed here: ")
                .contains("endpoints");
    }

    @Test
    void aNestedUnknownKeyNamesItsPath() {
        String message = problemsOf(
                """
                {"endpoints": [
                  {"name": "a", "type": "anthropic", "baseUrl": "https://x.example/v1", "api_key": "k"}
                ]}""");
        assertThat(message)
                .contains(":2:73: $.endpoints[0].api_key: unknown key \"api_key\" (did you mean \"apiKey\"?)");
    }

    @Test
    void aWrongEnumValueListsWhatIsAllowed() {
        String message = problemsOf(
                """
                {"endpoints": [{"name": "a", "type": "openia", "baseUrl": "https://x.example/v1"}]}""");
        assertThat(message)
                .contains(":1:30: $.endpoints[0].type: \"openia\" is not allowed; allowed: anthropic, openai, gemini,"
                        + " custom");
    }

    @Test
    void aWrongTypeSaysWhatWasExpected() {
        assertThat(problemsOf("{\"port\": \"3000\", \"endpoints\": []}")).contains("$.port: expected a whole number");
        assertThat(problemsOf("{\"endpoints\": {\"name\": \"a\"}}")).contains("$.endpoints: expected an array");
    }

    @Test
    void brokenJsonPointsAtTheLineAndColumn() {
        String message = problemsOf(
                """
                {
                  "port": 3000,
                  "endpoints": [
                    {"name": "a", "type": "anthropic" "baseUrl": "https://x.example/v1"}
                  ]
                }""");
        assertThat(message).startsWith(FILE + ":4:39: invalid JSON: Unexpected character");
    }

    @Test
    void duplicateKeysAreRefusedRatherThanSilentlyOverridden() {
        assertThat(problemsOf("{\"port\": 1, \"port\": 2}")).contains("Duplicate field 'port'");
    }

    @Test
    void anEmptyFileSaysWhatToDo() {
        assertThat(problemsOf("  \n")).contains("the file is empty");
    }

    @Test
    void semanticProblemsAreAllReportedAtOnceEachAtItsPlace() {
        String message = problemsOf(
                """
                {
                  "defaultEndpoint": "glm",
                  "endpoints": [
                    {"name": "a,b", "type": "anthropic", "baseUrl": "ftp://x.example/v1"},
                    {"name": "c", "type": "openai", "baseUrl": "https://x.example/v1", "format": "anthropic"},
                    {"name": "c", "type": "openai", "baseUrl": "not a url"}
                  ]
                }""");
        assertThat(message.lines())
                .anySatisfy(l -> assertThat(l).contains(":4:6: $.endpoints[0].name: \"a,b\" is not a valid endpoint"))
                .anySatisfy(l -> assertThat(l).contains("$.endpoints[0].baseUrl: \"ftp://x.example/v1\" is not an"))
                .anySatisfy(l -> assertThat(l).contains("$.endpoints[1].format: format applies only to custom"))
                .anySatisfy(l -> assertThat(l).contains("$.endpoints[2].baseUrl"))
                .anySatisfy(l -> assertThat(l).contains(":2:3: $.defaultEndpoint: no endpoint is named \"glm\""));
    }

    @Test
    void bindingBeyondLoopbackRequiresARouterToken() {
        assertThat(
                        problemsOf(
                                """
                {"host": "0.0.0.0", "endpoints": [{"name": "a", "type": "anthropic", "baseUrl": "https://x/v1"}]}"""))
                .contains("$.host: binding 0.0.0.0 exposes the router beyond this machine; add a router token");
    }

    @Test
    void commandLineOverridesWinAndAreCheckedToo() throws ConfigException {
        byte[] text = SEED.getBytes(StandardCharsets.UTF_8);
        EffectiveConfig config =
                loader.parse(text, FILE, new Overrides(4000, "localhost", true)).config();
        assertThat(config.port()).isEqualTo(4000);
        assertThat(config.host()).isEqualTo("localhost");
        assertThat(config.logLevel()).isEqualTo(LogLevel.DEBUG);
        assertThatThrownBy(() -> loader.parse(text, FILE, new Overrides(null, "10.0.0.5", false)))
                .hasMessageContaining("binding 10.0.0.5 exposes the router");
    }

    @Test
    void routerTokensMustBeNamedAndLongEnough() {
        assertThat(
                        problemsOf(
                                """
                {"auth": {"tokens": [{"name": "me", "token": "short"}, {"token": "0123456789abcdef"}]},
                 "endpoints": [{"name": "a", "type": "anthropic", "baseUrl": "https://x/v1"}]}"""))
                .contains("$.auth.tokens[0].token: a router token needs at least 8 characters")
                .contains("$.auth.tokens[1]: a token needs a name");
    }

    @Test
    void withoutAFileTheDefaultsForwardTheClientsOwnKeyToAnthropic(@TempDir Path dir) throws ConfigException {
        ConfigLoader.Loaded loaded = loader.load(dir.resolve("config.json"), Overrides.NONE);
        EffectiveConfig config = loaded.config();
        assertThat(config.fromFile()).isFalse();
        assertThat(config.port()).isEqualTo(3000);
        assertThat(config.endpoints()).singleElement().satisfies(e -> {
            assertThat(e.name()).isEqualTo("anthropic");
            assertThat(e.baseUrl()).hasToString("https://api.anthropic.com/v1");
            assertThat(e.apiKey()).as("no key: the client's own is forwarded").isNull();
        });
    }

    @Test
    void anUnreadableFileIsReportedWithItsName(@TempDir Path dir) throws Exception {
        Path directoryInsteadOfFile = Files.createDirectory(dir.resolve("config.json"));
        assertThatThrownBy(() -> loader.load(directoryInsteadOfFile, Overrides.NONE))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(directoryInsteadOfFile.toString())
                .hasMessageContaining("cannot read the config file");
    }
}
