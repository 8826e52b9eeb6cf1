package dev.ccr.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The {@code log} and {@code pricing} keys: defaults, overrides, and located messages for mistakes. */
class ObservabilityConfigTest {
    private static final Path FILE = Path.of("/home/u/.claude-code-router/config.json");
    private static final String ENDPOINTS =
            "\"endpoints\": [{\"name\": \"glm\", \"type\": \"openai\", \"baseUrl\": \"https://glm.example/v1\"}]";
    private final ConfigLoader loader = new ConfigLoader(Map.<String, String>of()::get);

    private EffectiveConfig parse(String extra, Overrides overrides) throws ConfigException {
        return loader.parse(("{" + ENDPOINTS + extra + "}").getBytes(StandardCharsets.UTF_8), FILE, overrides)
                .config();
    }

    private String problemsOf(String extra) {
        try {
            parse(extra, Overrides.NONE);
        } catch (ConfigException e) {
            return e.getMessage();
        }
        throw new AssertionError("expected the config to be refused");
    }

    @Test
    void withoutALogKeyRequestsAreLoggedWithoutBodies() throws ConfigException {
        EffectiveConfig.Log log = parse("", Overrides.NONE).log();
        assertThat(log).isEqualTo(EffectiveConfig.Log.DEFAULTS);
        assertThat(log.requests()).isTrue();
        assertThat(log.bodies()).isFalse();
        assertThat(log.usageRetention()).isEqualTo(Duration.ofDays(90));
    }

    @Test
    void debugSwitchesBodiesOnAndTheLogKeySetsTheRest() throws ConfigException {
        assertThat(parse("", new Overrides(null, null, true)).log().bodies()).isTrue();
        EffectiveConfig.Log log = parse(
                        ", \"log\": {\"requests\": false, \"bodies\": true, \"maxBodyKB\": 8, \"maxFileMB\": 5,"
                                + " \"maxFiles\": 3, \"retentionDays\": 2, \"usageRetentionDays\": 30}",
                        Overrides.NONE)
                .log();
        assertThat(log)
                .isEqualTo(new EffectiveConfig.Log(
                        false, true, 8 * 1024, 5L << 20, 3, Duration.ofDays(2), Duration.ofDays(30)));
    }

    @Test
    void outOfRangeLogSettingsAreLocated() {
        assertThat(problemsOf(", \"log\": {\"maxFileMB\": 0}"))
                .contains("$.log.maxFileMB")
                .contains("between 1 and 1024");
        assertThat(problemsOf(", \"log\": {\"retentionDays\": \"week\"}")).contains("$.log.retentionDays");
        assertThat(problemsOf(", \"log\": {\"rotate\": true}")).contains("unknown key \"rotate\"");
    }

    @Test
    void pricesAreReadPerModelOrPerEndpointWithCachePricesDefaultingToInput() throws ConfigException {
        EffectiveConfig config = parse(
                ", \"pricing\": {\"glm,glm-4.6\": {\"input\": 0.6, \"output\": 2.2, \"cacheRead\": 0.11},"
                        + " \"my-*\": {\"input\": 1, \"output\": 2}}",
                Overrides.NONE);
        assertThat(config.pricing())
                .containsExactly(
                        new EffectiveConfig.Price("glm", "glm-4.6", 0.6, 2.2, 0.6, 0.11),
                        new EffectiveConfig.Price(null, "my-*", 1, 2, 1, 1));
    }

    @Test
    void pricingMistakesAreLocated() {
        assertThat(problemsOf(", \"pricing\": {\"nowhere,m\": {\"input\": 1, \"output\": 1}}"))
                .contains("config.json:1:")
                .contains("$.pricing['nowhere,m']")
                .contains("no endpoint is named \"nowhere\"; allowed: glm");
        assertThat(problemsOf(", \"pricing\": {\"m\": {\"input\": 1}}"))
                .contains("input and output prices are required");
        assertThat(problemsOf(", \"pricing\": {\"m\": {\"input\": -1, \"output\": 1}}"))
                .contains("$.pricing.m.input")
                .contains("0 or more");
        assertThat(problemsOf(", \"pricing\": {\"m\": {\"input\": 1, \"output\": 1, \"cached\": 1}}"))
                .contains("unknown key \"cached\"");
    }
}
