package dev.ccr.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class RoutingConfigTest {
    private static ConfigLoader.Loaded load(String text) throws ConfigException {
        return new ConfigLoader(name -> null)
                .parse(text.getBytes(StandardCharsets.UTF_8), Path.of("config.json"), Overrides.NONE);
    }

    @Test
    void routesAndRulesMustNameConfiguredEndpoints() {
        String text =
                """
                {
                  "endpoints": [ { "name": "a", "type": "anthropic", "baseUrl": "https://api.anthropic.com/v1" } ],
                  "routes": { "think": "b,model" },
                  "rules": [ { "model": "*", "target": "c" }, { "model": "x" } ],
                  "longContextThreshold": 0
                }
                """;
        assertThatThrownBy(() -> load(text))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("config.json:3:15: $.routes.think: no endpoint is named \"b\"; allowed: a")
                .hasMessageContaining("$.rules[0].target: no endpoint is named \"c\"")
                .hasMessageContaining("$.rules[1]: target is required")
                .hasMessageContaining("$.longContextThreshold: longContextThreshold is a token count");
    }

    @Test
    void everyReferenceToAMissingEndpointListsTheConfiguredOnesInFileOrder() {
        String text =
                """
                {
                  "endpoints": [
                    { "name": "zeta", "type": "anthropic", "baseUrl": "https://api.anthropic.com/v1" },
                    { "name": "alpha", "type": "anthropic", "baseUrl": "https://api.anthropic.com/v1" }
                  ],
                  "defaultEndpoint": "beta",
                  "routes": { "think": "gamma,m" },
                  "rules": [ { "model": "*", "target": "delta" } ],
                  "pricing": { "epsilon,m": { "input": 1, "output": 1 } }
                }
                """;
        assertThatThrownBy(() -> load(text))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("$.defaultEndpoint: no endpoint is named \"beta\"; allowed: zeta, alpha\n")
                .hasMessageContaining("$.routes.think: no endpoint is named \"gamma\"; allowed: zeta, alpha\n")
                .hasMessageContaining("$.rules[0].target: no endpoint is named \"delta\"; allowed: zeta, alpha\n")
                .hasMessageEndingWith("$.pricing['epsilon,m']: no endpoint is named \"epsilon\"; allowed: zeta, alpha");
    }

    @Test
    void anEndpointWithProblemsOfItsOwnIsNotAlsoReportedMissingWhereItIsNamed() {
        String text =
                """
                {
                  "endpoints": [ { "name": "glm", "type": "openai", "baseUrl": "not a url", "apiKey": "k" } ],
                  "defaultEndpoint": "glm",
                  "routes": { "think": "glm,m" }
                }
                """;
        assertThatThrownBy(() -> load(text))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("$.endpoints[0].baseUrl")
                .hasMessageNotContaining("no endpoint is named");
    }

    @Test
    void providerIsRecognisedFromTheHostAndQuirksOverrideThePreset() throws ConfigException {
        EffectiveConfig config =
                load("""
                {
                  "endpoints": [
                    { "name": "ds", "type": "openai", "baseUrl": "https://api.deepseek.com/v1", "apiKey": "k" },
                    { "name": "oa", "type": "openai", "baseUrl": "https://api.openai.com/v1", "apiKey": "k",
                      "quirks": { "maxTokensField": "max_tokens", "reasoningModels": ["o9*"] } },
                    { "name": "local", "type": "custom", "baseUrl": "http://localhost:11434/v1" },
                    { "name": "mine", "type": "custom", "baseUrl": "http://10.0.0.5:8000/v1", "provider": "vllm" },
                    { "name": "g", "type": "gemini", "baseUrl": "https://example.com/v1beta", "apiKey": "k" }
                  ]
                }
                """)
                        .config();
        assertThat(config.endpoints())
                .extracting(Endpoint::provider)
                .containsExactly(Provider.DEEPSEEK, Provider.OPENAI, Provider.OLLAMA, Provider.VLLM, Provider.GEMINI);
        Quirks deepseek = config.endpoints().get(0).quirks();
        assertThat(deepseek.sendReasoningBack()).isTrue();
        Quirks openai = config.endpoints().get(1).quirks();
        assertThat(openai.maxTokensField()).isEqualTo(MaxTokensField.MAX_TOKENS);
        assertThat(openai.reasoningModels()).containsExactly("o9*");
        assertThat(openai.reasoningRequest()).isEqualTo(ReasoningRequest.REASONING_EFFORT);
    }

    @Test
    void unknownQuirkIsLocated() {
        assertThatThrownBy(
                        () -> load(
                                """
                {"endpoints": [ { "name": "x", "type": "openai", "baseUrl": "https://h/v1",
                  "quirks": { "maxTokenField": "max_tokens" } } ]}
                """))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("$.endpoints[0].quirks.maxTokenField: unknown key \"maxTokenField\" (did you"
                        + " mean \"maxTokensField\"?)");
    }
}
