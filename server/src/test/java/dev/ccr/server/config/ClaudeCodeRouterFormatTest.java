package dev.ccr.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** claude-code-router's config format, read as the ccr config with the same effect. */
class ClaudeCodeRouterFormatTest {
    private static final Path FILE = Path.of("/home/u/.claude-code-router/config.json");
    private static final Map<String, String> ENV =
            Map.of("DEEPSEEK_API_KEY", "sk-fake-deepseek", "GEMINI_API_KEY", "fake-gemini-key");

    /** The configuration examples of claude-code-router's README, in our own words and with fake keys. */
    static String readmeExamples() {
        try (InputStream in =
                ClaudeCodeRouterFormatTest.class.getResourceAsStream("/claude-code-router/readme-examples.json")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ConfigLoader.Loaded load(String text, Map<String, String> env) throws ConfigException {
        return new ConfigLoader(env::get).parse(text.getBytes(StandardCharsets.UTF_8), FILE, Overrides.NONE);
    }

    private static ConfigLoader.Loaded load(String text) throws ConfigException {
        return load(text, ENV);
    }

    private static String problemsOf(String text) {
        try {
            load(text);
        } catch (ConfigException e) {
            return e.getMessage();
        }
        throw new AssertionError("expected the config to be refused");
    }

    private static List<String> warnings(ConfigLoader.Loaded loaded) {
        return loaded.warnings().stream().map(ConfigProblem::format).toList();
    }

    @Test
    void theReadmeExamplesLoadAsTheirProvidersAndRouter() throws ConfigException {
        ConfigLoader.Loaded loaded = load(readmeExamples());
        EffectiveConfig config = loaded.config();
        assertThat(loaded.format()).isEqualTo(ConfigFormat.CLAUDE_CODE_ROUTER);
        assertThat(config.port()).as("claude-code-router's default port").isEqualTo(3456);
        assertThat(config.host()).isEqualTo("127.0.0.1");
        assertThat(config.endpoints())
                .extracting(Endpoint::name)
                .containsExactly(
                        "openrouter",
                        "deepseek",
                        "ollama",
                        "gemini",
                        "volcengine",
                        "modelscope",
                        "dashscope",
                        "aihubmix");

        Endpoint openrouter = config.endpoint("openrouter").orElseThrow();
        assertThat(openrouter.format()).isEqualTo(WireFormat.OPENAI);
        assertThat(openrouter.url("/chat/completions")).isEqualTo("https://openrouter.ai/api/v1/chat/completions");
        assertThat(openrouter.provider()).isEqualTo(Provider.OPENROUTER);
        assertThat(openrouter.apiKey().reveal()).isEqualTo("sk-fake-openrouter");

        Endpoint deepseek = config.endpoint("deepseek").orElseThrow();
        assertThat(deepseek.url("/chat/completions")).isEqualTo("https://api.deepseek.com/chat/completions");
        assertThat(deepseek.provider()).isEqualTo(Provider.DEEPSEEK);
        assertThat(deepseek.quirks().maxOutputTokens()).isEqualTo(8192);
        assertThat(deepseek.apiKey().reveal()).as("$DEEPSEEK_API_KEY").isEqualTo("sk-fake-deepseek");
        assertThat(deepseek.models()).containsExactly("deepseek-chat", "deepseek-reasoner");

        Endpoint ollama = config.endpoint("ollama").orElseThrow();
        assertThat(ollama.url("/chat/completions")).isEqualTo("http://localhost:11434/v1/chat/completions");
        assertThat(ollama.provider()).isEqualTo(Provider.OLLAMA);
        assertThat(ollama.proxy()).as("a loopback endpoint is never proxied").isNull();

        Endpoint gemini = config.endpoint("gemini").orElseThrow();
        assertThat(gemini.format()).isEqualTo(WireFormat.GEMINI);
        assertThat(gemini.baseUrl()).hasToString("https://generativelanguage.googleapis.com/v1beta");
        assertThat(gemini.apiKey().reveal()).as("${GEMINI_API_KEY}").isEqualTo("fake-gemini-key");

        Endpoint volcengine = config.endpoint("volcengine").orElseThrow();
        assertThat(volcengine.baseUrl()).hasToString("https://ark.cn-beijing.volces.com/api/v3");
        assertThat(volcengine.provider()).isEqualTo(Provider.DEEPSEEK);
        assertThat(volcengine.quirks().maxOutputTokens()).isEqualTo(8192);

        Endpoint modelscope = config.endpoint("modelscope").orElseThrow();
        assertThat(modelscope.quirks().maxOutputTokens()).isEqualTo(65536);
        assertThat(modelscope.quirks().reasoningRequest()).isEqualTo(ReasoningRequest.ENABLE_THINKING);
        assertThat(modelscope.quirks().reasoningModels()).containsExactly("Qwen/Qwen3-235B-A22B-Thinking-2507");

        Endpoint dashscope = config.endpoint("dashscope").orElseThrow();
        assertThat(dashscope.baseUrl()).hasToString("https://dashscope.aliyuncs.com/compatible-mode/v1");
        assertThat(dashscope.provider()).as("recognised from its host").isEqualTo(Provider.QWEN);
        assertThat(dashscope.quirks().maxOutputTokens()).isEqualTo(65536);

        assertThat(config.endpoint("aihubmix").orElseThrow().provider()).isEqualTo(Provider.GENERIC);

        assertThat(config.defaultRoute()).hasToString("deepseek,deepseek-chat");
        assertThat(config.defaultEndpoint()).isEqualTo("deepseek");
        assertThat(config.routes().get(Scenario.BACKGROUND)).hasToString("ollama,qwen2.5-coder:latest");
        assertThat(config.routes().get(Scenario.THINK)).hasToString("deepseek,deepseek-reasoner");
        assertThat(config.routes().get(Scenario.LONG_CONTEXT)).hasToString("openrouter,google/gemini-2.5-pro-preview");
        assertThat(config.routes().get(Scenario.WEB_SEARCH)).hasToString("gemini,gemini-2.5-flash");
        assertThat(config.routes()).doesNotContainKey(Scenario.IMAGE);
        assertThat(config.longContextThreshold()).isEqualTo(60000);

        assertThat(config.auth().tokens()).singleElement().satisfies(token -> {
            assertThat(token.name()).isEqualTo("APIKEY");
            assertThat(token.secret().reveal()).isEqualTo("fake-router-secret-1234");
        });
        assertThat(config.auth().allowClientKeys()).isFalse();
        assertThat(config.timeouts().firstByte()).isEqualTo(Duration.ofMillis(600000));
        assertThat(openrouter.proxy()).hasToString("http://127.0.0.1:7890");
    }

    @Test
    void whatIsNotHonouredIsSaidOnceEachWhereItIsWritten() throws ConfigException {
        List<String> warnings = warnings(load(readmeExamples()));
        assertThat(warnings.get(0))
                .isEqualTo(FILE + ":1:1: read in claude-code-router's format (Providers, Router); 'ccr config migrate'"
                        + " rewrites it in ccr's own format and keeps the original");
        assertThat(warnings.stream().filter(w -> w.contains("\"enhancetool\"")))
                .singleElement()
                .satisfies(w -> assertThat(w)
                        .startsWith(FILE + ":48:56: ")
                        .contains("$.Providers[5].transformer.use[1]")
                        .contains("is not honoured (modelscope; dashscope)")
                        .contains("repairs malformed tool-call arguments"));
        assertThat(warnings.stream().filter(w -> w.contains("\"tooluse\"")))
                .singleElement()
                .satisfies(w -> assertThat(w)
                        .contains("$.Providers[1].transformer['deepseek-chat'].use[0]")
                        .contains("(deepseek,deepseek-chat)"));
        assertThat(warnings.stream().filter(w -> w.contains("ignored, since ccr has no counterpart")))
                .singleElement()
                .satisfies(w -> assertThat(w).contains("NON_INTERACTIVE_MODE"));
        assertThat(warnings).hasSize(4);
    }

    @Test
    void aLoneDecimalPointIsAProblemAtItsLineNotACrash() {
        // Found by ConfigLoaderFuzzTest: JSON5's number leniency let "." through as a number, and reading it threw.
        assertThatThrownBy(() -> load("{\"Providers\": [], \"HOST\": .localhost}"))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).problems())
                        .singleElement()
                        .satisfies(p -> {
                            assertThat(p.message()).startsWith("invalid JSON");
                            assertThat(p.line()).isEqualTo(1);
                        }));
    }

    @Test
    void environmentReferencesWorkAsThere() throws ConfigException {
        String config =
                """
                {
                  "Providers": [
                    { "name": "p", "api_base_url": "${BASE}/chat/completions", "api_key": "$P_KEY", "models": ["m"] },
                    { "name": "q", "api_base_url": "https://q.example/v1/chat/completions", "api_key": "${UNSET}" }
                  ],
                  "Router": { "default": "p,$MODEL" }
                }
                """;
        ConfigLoader.Loaded loaded =
                load(config, Map.of("BASE", "https://p.example/v1", "P_KEY", "sk-p", "MODEL", "m-large"));
        Endpoint p = loaded.config().endpoint("p").orElseThrow();
        assertThat(p.url("/chat/completions")).isEqualTo("https://p.example/v1/chat/completions");
        assertThat(p.apiKey().reveal()).isEqualTo("sk-p");
        assertThat(loaded.config().defaultRoute()).hasToString("p,m-large");
        assertThat(loaded.config().endpoint("q").orElseThrow().apiKey().isAvailable())
                .isFalse();
        assertThat(warnings(loaded)).anySatisfy(w -> assertThat(w)
                .contains(":4:")
                .contains("$.Providers[1].api_key")
                .contains("environment variable UNSET is not set"));
    }

    @Test
    void json5CommentsAndTrailingCommasAreReadAsThereButCcrsOwnFormatStaysStrict() throws ConfigException {
        String json5 =
                """
                {
                  // my providers
                  Providers: [
                    { name: 'p', api_base_url: 'https://p.example/v1/chat/completions', api_key: 'k', },
                  ],
                  /* routing */
                  Router: { default: 'p,m', },
                }
                """;
        assertThat(load(json5).config().defaultRoute()).hasToString("p,m");
        assertThat(
                        problemsOf(
                                """
                        {
                          // a comment
                          "endpoints": [ { "name": "a", "type": "anthropic", "baseUrl": "https://a.example/v1" } ]
                        }
                        """))
                .contains(FILE + ":2:")
                .contains("invalid JSON");
    }

    @Test
    void problemsAreShownWhereTheUserWroteThem() {
        String config =
                """
                {
                  "Providers": [
                    { "name": "a", "api_base_url": "ftp://a.example/chat/completions", "api_key": "k" },
                    { "name": "b", "api_base_url": "https://b.example/v1/chat/completions", "api_key": "k" },
                    { "name": "b", "api_base_url": "https://c.example/v1/chat/completions", "api_key": "k",
                      "transformer": { "use": ["maxtoken"] } }
                  ],
                  "Router": { "default": "nobody,m", "think": "b,m,extreme" },
                  "fallback": { "default": ["b,m", "ghost,m"] },
                  "PORT": "not a port"
                }
                """;
        assertThat(problemsOf(config).lines())
                .contains(
                        FILE + ":3:20: $.Providers[0].api_base_url: \"ftp://a.example\" is not an http:// or https://"
                                + " URL",
                        FILE + ":5:7: $.Providers[2].name: another endpoint is already named \"b\"",
                        FILE + ":6:32: $.Providers[2].transformer.use[0]: maxtoken needs its limit:"
                                + " [\"maxtoken\", {\"max_tokens\": 16384}]",
                        FILE + ":10:3: $.PORT: PORT must be a whole number")
                .anySatisfy(line ->
                        assertThat(line).startsWith(FILE + ":8:15: $.Router.default: no endpoint is named \"nobody\""))
                .anySatisfy(line -> assertThat(line)
                        .startsWith(FILE + ":8:38: $.Router.think: expected \"provider,model\" or"
                                + " \"provider,model,effort\""))
                .anySatisfy(line -> assertThat(line)
                        .startsWith(FILE + ":9:36: $.fallback.default[1]: no endpoint is named \"ghost\""));
    }

    @Test
    void fallbacksBecomeFailoverTargetsAndAnEffortIsReportedNotApplied() throws ConfigException {
        String config =
                """
                {
                  "Providers": [
                    { "name": "a", "api_base_url": "https://a.example/v1/chat/completions", "api_key": "k" },
                    { "name": "b", "api_base_url": "https://b.example/v1/chat/completions", "api_key": "k" }
                  ],
                  "Router": { "default": "a,m1", "think": "b,r1,high", "image": "" },
                  "fallback": { "default": ["b,m2", "a,m3"] }
                }
                """;
        ConfigLoader.Loaded loaded = load(config);
        assertThat(loaded.config().defaultRoute().targets())
                .extracting(RouteRef::toString)
                .containsExactly("a,m1", "b,m2", "a,m3");
        assertThat(loaded.config().defaultRoute().strategy()).isEqualTo(Strategy.FAILOVER);
        assertThat(loaded.config().routes().get(Scenario.THINK)).hasToString("b,r1");
        assertThat(loaded.config().routes()).as("an empty slot is unset").doesNotContainKey(Scenario.IMAGE);
        assertThat(warnings(loaded)).anySatisfy(w -> assertThat(w)
                .contains("$.Router.think")
                .contains("the reasoning effort in \"provider,model,effort\" is not honoured (b,r1,high)"));
    }

    @Test
    void anthropicFormatProvidersPassThrough() throws ConfigException {
        String config =
                """
                {
                  "Providers": [
                    { "name": "claude", "api_base_url": "https://api.anthropic.com/v1/messages", "api_key": "k",
                      "transformer": { "use": ["Anthropic"] } },
                    { "name": "gateway", "api_base_url": "https://gw.example/anthropic/v1/messages", "api_key": "g" }
                  ],
                  "Router": { "default": "gateway,claude-sonnet-4-5" }
                }
                """;
        EffectiveConfig loaded = load(config).config();
        assertThat(loaded.endpoint("claude").orElseThrow().passesThrough()).isTrue();
        assertThat(loaded.endpoint("claude").orElseThrow().url("/messages"))
                .isEqualTo("https://api.anthropic.com/v1/messages");
        Endpoint gateway = loaded.endpoint("gateway").orElseThrow();
        assertThat(gateway.passesThrough())
                .as("recognised by its /v1/messages URL")
                .isTrue();
        assertThat(gateway.baseUrl()).hasToString("https://gw.example/anthropic/v1");
    }

    @Test
    void hostNeedsApiKeyAsThereAndNoProvidersMeansTheDefaults() throws ConfigException {
        ConfigLoader.Loaded open = load("{\"HOST\": \"0.0.0.0\", \"PORT\": 4000, \"Providers\": [], \"Router\": {}}");
        assertThat(open.config().host()).isEqualTo("127.0.0.1");
        assertThat(open.config().port()).isEqualTo(4000);
        assertThat(open.config().endpoints()).extracting(Endpoint::name).containsExactly("anthropic");
        assertThat(warnings(open))
                .anySatisfy(w -> assertThat(w).contains("$.HOST").contains("not used without APIKEY"))
                .anySatisfy(w -> assertThat(w).contains("$.Providers").contains("runs on its defaults"));

        ConfigLoader.Loaded shared = load(
                """
                { "HOST": "0.0.0.0", "APIKEY": "a-long-enough-secret",
                  "Providers": [ { "name": "p", "api_base_url": "https://p.example/v1/chat/completions",
                                   "api_key": "k" } ] }
                """);
        assertThat(shared.config().host()).isEqualTo("0.0.0.0");
        assertThat(shared.config().auth().requiresToken()).isTrue();
    }

    @Test
    void ccrsOwnFormatIsNotMistakenForIt() throws ConfigException {
        assertThat(load(ConfigLoaderTest.SEED).format()).isEqualTo(ConfigFormat.CCR);
        assertThat(problemsOf("{\"endpoints\": [], \"Providers\": []}")).contains("unknown key \"Providers\"");
    }
}
