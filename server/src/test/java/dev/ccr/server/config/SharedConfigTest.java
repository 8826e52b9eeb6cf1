package dev.ccr.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ccr.server.observe.redact.KnownSecrets;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The {@code shared} section: the Redis URL in its forms, strict checks located in the file, the password kept out of sight. */
class SharedConfigTest {
    private static final Path FILE = Path.of("/home/u/.claude-code-router/config.json");
    private final ConfigLoader loader =
            new ConfigLoader(Map.of("REDIS_PASSWORD", "s3cr3t/with@odd:chars", "REDIS_HOST", "redis.internal")::get);

    private ConfigLoader.Loaded load(String shared) throws ConfigException {
        String text =
                "{\n  \"endpoints\": [{\"name\": \"a\", \"type\": \"anthropic\", \"baseUrl\": \"https://x.example/v1\"}],\n"
                        + "  \"shared\": " + shared + "\n}\n";
        return loader.parse(text.getBytes(StandardCharsets.UTF_8), FILE, Overrides.NONE);
    }

    private EffectiveConfig.Shared shared(String shared) throws ConfigException {
        return load(shared).config().shared();
    }

    private String problems(String shared) {
        try {
            load(shared);
        } catch (ConfigException e) {
            return e.getMessage();
        }
        throw new AssertionError("expected the config to be refused");
    }

    @Test
    void withoutASharedSectionNothingIsShared() throws ConfigException {
        String text =
                "{\"endpoints\": [{\"name\": \"a\", \"type\": \"anthropic\", \"baseUrl\": \"https://x.example/v1\"}]}";
        assertThat(loader.parse(text.getBytes(StandardCharsets.UTF_8), FILE, Overrides.NONE)
                        .config()
                        .shared())
                .isNull();
    }

    @Test
    void aPlainUrlTakesTheDefaults() throws ConfigException {
        EffectiveConfig.Shared shared = shared("{\"redis\": \"redis://10.0.0.5:6380\"}");
        assertThat(shared.redis()).isEqualTo(new RedisAddress(false, "10.0.0.5", 6380, 0, null, null));
        assertThat(shared.keyPrefix()).isEqualTo("ccr:");
        assertThat(shared.timeout()).isEqualTo(Duration.ofMillis(10));
        assertThat(shared("{\"redis\": \"redis://cache\"}").redis().port()).isEqualTo(6379);
    }

    @Test
    void userPasswordDatabaseTlsAndEnvironmentReferences() throws ConfigException {
        EffectiveConfig.Shared shared = shared(
                "{\"redis\": \"rediss://ccr:${REDIS_PASSWORD}@${REDIS_HOST}:6390/3\", \"keyPrefix\": \"team-a:\","
                        + " \"timeoutMs\": 25}");
        RedisAddress redis = shared.redis();
        assertThat(redis.tls()).isTrue();
        assertThat(redis.host()).isEqualTo("redis.internal");
        assertThat(redis.port()).isEqualTo(6390);
        assertThat(redis.database()).isEqualTo(3);
        assertThat(redis.user()).isEqualTo("ccr");
        assertThat(redis.password().reveal())
                .as("a password from the environment is taken as it is")
                .isEqualTo("s3cr3t/with@odd:chars");
        assertThat(shared.keyPrefix()).isEqualTo("team-a:");
        assertThat(shared.timeout()).isEqualTo(Duration.ofMillis(25));
        assertThat(redis.connectionString()).isEqualTo("rediss://redis.internal:6390/3");

        assertThat(shared("{\"redis\": \"redis://:p%40ss%3Aword@[::1]:6379\"}").redis())
                .isEqualTo(new RedisAddress(false, "::1", 6379, 0, null, Secret.of("p@ss:word")));
    }

    @Test
    void thePasswordNeverShows() throws ConfigException {
        ConfigLoader.Loaded loaded = load("{\"redis\": \"redis://ccr:hunter2-password@10.0.0.5:6379/1\"}");
        EffectiveConfig config = loaded.config();
        assertThat(config.shared().redis().display()).isEqualTo("redis://ccr:***@10.0.0.5:6379/1");
        assertThat(config.shared().toString()).doesNotContain("hunter2");
        assertThat(config.toString()).doesNotContain("hunter2");
        assertThat(new SharedConfig("redis://ccr:hunter2-password@10.0.0.5:6379/1", null, null, null).toString())
                .as("the section as written, too")
                .doesNotContain("hunter2");
        assertThat(KnownSecrets.of(config))
                .as("the application log masks it too")
                .contains("hunter2-password");

        String refused = problems("{\"redis\": \"redis://ccr:hunter2-password@10.0.0.5:99999\"}");
        assertThat(refused).contains("port").doesNotContain("hunter2");
    }

    @Test
    void mistakesAreLocatedAndSaidPlainly() {
        assertThat(problems("{\"redis\": \"http://10.0.0.5:6379\"}"))
                .contains("config.json:3:")
                .contains("$.shared.redis")
                .contains("must start with redis:// or rediss://");
        assertThat(problems("{}")).contains("$.shared").contains("shared.redis is required");
        assertThat(problems("{\"redis\": \"redis://10.0.0.5:6379/x\"}")).contains("database number");
        assertThat(problems("{\"redis\": \"redis://:6379\"}")).contains("host is missing or invalid");
        assertThat(problems("{\"redis\": \"redis://h:6379?ssl=true\"}")).contains("query parameters");
        assertThat(problems("{\"redis\": \"redis://h\", \"timeoutMs\": 0}"))
                .contains("$.shared.timeoutMs")
                .contains("between 1 and 10000");
        assertThat(problems("{\"redis\": \"redis://h\", \"keyPrefix\": \"a b\"}"))
                .contains("$.shared.keyPrefix");
        assertThat(problems("{\"redis\": \"redis://h\", \"sentinel\": true}"))
                .as("unknown keys are errors, as everywhere")
                .contains("sentinel");
        assertThat(problems("{\"redis\": \"redis://${NOT_SET}:6379\"}")).contains("NOT_SET");
    }

    @Test
    void anUnsetPasswordVariableIsAWarningAndTheInstanceStartsOnItsOwnState() throws ConfigException {
        ConfigLoader.Loaded loaded = load("{\"redis\": \"redis://:${MISSING_PASSWORD}@10.0.0.5:6379\"}");
        assertThat(loaded.config().shared().redis().password().isAvailable()).isFalse();
        assertThat(loaded.warnings()).singleElement().satisfies(w -> assertThat(w.format())
                .contains("MISSING_PASSWORD")
                .contains("own state"));
    }
}
