package dev.ccr.server.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ccr.server.json.Json;
import dev.ccr.server.testing.FakeUpstream;
import dev.ccr.server.testing.Http;
import dev.ccr.server.testing.RecordedRequest;
import dev.ccr.server.testing.RouterFixture;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A router started on a config in claude-code-router's format, written like the examples of that project's README,
 * each provider a fake upstream of its own on 127.0.0.1 at the path the real one serves: requests reach the provider
 * the {@code provider,model} id or the Router slot names, in that provider's format, with its model and its key.
 */
class ClaudeCodeRouterConfigRoutingTest {
    private static final String ROUTER_KEY = "fake-router-secret-1234";
    private static final List<String> PROVIDERS = List.of(
            "openrouter",
            "deepseek",
            "ollama",
            "gemini",
            "volcengine",
            "modelscope",
            "dashscope",
            "aihubmix",
            "claude");

    private static Vertx vertx;
    private static final Map<String, FakeUpstream> upstreams = new LinkedHashMap<>();
    private static RouterFixture router;

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
        for (String provider : PROVIDERS) {
            upstreams.put(provider, FakeUpstream.start(vertx).respond((request, response) -> {
                String body;
                if (request.path().contains(":generateContent")) {
                    body = "{\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":[{\"text\":\"from " + provider
                            + "\"}]},\"finishReason\":\"STOP\"}],\"usageMetadata\":{\"promptTokenCount\":3,"
                            + "\"candidatesTokenCount\":2}}";
                } else if (request.path().endsWith("/messages")) {
                    body = "{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"m\",\"content\":"
                            + "[{\"type\":\"text\",\"text\":\"from " + provider + "\"}],\"stop_reason\":\"end_turn\","
                            + "\"usage\":{\"input_tokens\":3,\"output_tokens\":2}}";
                } else {
                    body = "{\"id\":\"c1\",\"object\":\"chat.completion\",\"choices\":[{\"index\":0,\"message\":"
                            + "{\"role\":\"assistant\",\"content\":\"from " + provider + "\"},\"finish_reason\":"
                            + "\"stop\"}],\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":2}}";
                }
                response.setStatusCode(200)
                        .putHeader("content-type", "application/json")
                        .end(body);
            }));
        }
        String config =
                """
                {
                  "APIKEY": "%s",
                  "API_TIMEOUT_MS": 600000,
                  "Providers": [
                    { "name": "openrouter", "api_base_url": "http://127.0.0.1:%d/api/v1/chat/completions",
                      "api_key": "sk-fake-openrouter", "models": ["anthropic/claude-sonnet-4"],
                      "transformer": { "use": ["openrouter"] } },
                    { "name": "deepseek", "api_base_url": "http://127.0.0.1:%d/chat/completions",
                      "api_key": "$DEEPSEEK_API_KEY", "models": ["deepseek-chat", "deepseek-reasoner"],
                      "transformer": { "use": ["deepseek"], "deepseek-chat": { "use": ["tooluse"] } } },
                    { "name": "ollama", "api_base_url": "http://127.0.0.1:%d/v1/chat/completions",
                      "api_key": "ollama", "models": ["qwen2.5-coder:latest"] },
                    { "name": "gemini", "api_base_url": "http://127.0.0.1:%d/v1beta/models/",
                      "api_key": "${GEMINI_API_KEY}", "models": ["gemini-2.5-flash", "gemini-2.5-pro"],
                      "transformer": { "use": ["gemini"] } },
                    { "name": "volcengine", "api_base_url": "http://127.0.0.1:%d/api/v3/chat/completions",
                      "api_key": "sk-fake-volcengine", "models": ["deepseek-v3-250324"],
                      "transformer": { "use": ["deepseek"] } },
                    { "name": "modelscope", "api_base_url": "http://127.0.0.1:%d/v1/chat/completions",
                      "api_key": "sk-fake-modelscope",
                      "models": ["Qwen/Qwen3-Coder-480B-A35B-Instruct", "Qwen/Qwen3-235B-A22B-Thinking-2507"],
                      "transformer": { "use": [["maxtoken", { "max_tokens": 65536 }], "enhancetool"],
                                       "Qwen/Qwen3-235B-A22B-Thinking-2507": { "use": ["reasoning"] } } },
                    { "name": "dashscope", "api_base_url": "http://127.0.0.1:%d/compatible-mode/v1/chat/completions",
                      "api_key": "sk-fake-dashscope", "models": ["qwen3-coder-plus"],
                      "transformer": { "use": [["maxtoken", { "max_tokens": 65536 }], "enhancetool"] } },
                    { "name": "aihubmix", "api_base_url": "http://127.0.0.1:%d/v1/chat/completions",
                      "api_key": "sk-fake-aihubmix", "models": ["Z/glm-4.5", "gemini-2.5-pro"] },
                    { "name": "claude", "api_base_url": "http://127.0.0.1:%d/v1/messages",
                      "api_key": "sk-fake-anthropic", "models": ["claude-sonnet-4-5"],
                      "transformer": { "use": ["Anthropic"] } }
                  ],
                  "Router": {
                    "default": "deepseek,deepseek-chat",
                    "background": "ollama,qwen2.5-coder:latest",
                    "think": "deepseek,deepseek-reasoner",
                    "longContext": "openrouter,anthropic/claude-sonnet-4",
                    "longContextThreshold": 2000,
                    "webSearch": "gemini,gemini-2.5-flash"
                  }
                }
                """
                        .formatted(
                                ROUTER_KEY,
                                port("openrouter"),
                                port("deepseek"),
                                port("ollama"),
                                port("gemini"),
                                port("volcengine"),
                                port("modelscope"),
                                port("dashscope"),
                                port("aihubmix"),
                                port("claude"));
        router = RouterFixture.start(
                config, Map.of("DEEPSEEK_API_KEY", "sk-fake-deepseek", "GEMINI_API_KEY", "fake-gemini-key"), false);
    }

    @AfterAll
    static void stop() {
        router.close();
        upstreams.values().forEach(FakeUpstream::close);
        vertx.close().await();
    }

    private static int port(String provider) {
        return upstreams.get(provider).port();
    }

    private static HttpResponse<String> send(String body) {
        return Http.post(
                router.baseUrl() + "/v1/messages",
                body,
                Map.of("content-type", "application/json", "x-api-key", ROUTER_KEY));
    }

    private static HttpResponse<String> ask(String model, String extra) {
        return send("{\"model\":\"" + model + "\",\"max_tokens\":100000" + extra
                + ",\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}");
    }

    /** Sends {@code provider,model} and returns what that provider's upstream received. */
    private static RecordedRequest routed(String provider, String model, String extra) {
        int before = upstreams.get(provider).requests().size();
        HttpResponse<String> response = ask(provider + "," + model, extra);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("x-ccr-endpoint")).hasValue(provider);
        assertThat(response.body()).contains("from " + provider);
        assertThat(upstreams.get(provider).requests()).hasSize(before + 1);
        return upstreams.get(provider).lastRequest();
    }

    private static JsonNode body(RecordedRequest request) {
        try {
            return Json.MAPPER.readTree(request.bodyText());
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static void assertOpenAi(RecordedRequest request, String path, String model, String key, long maxTokens) {
        assertThat(request.path()).isEqualTo(path);
        assertThat(request.header("authorization")).isEqualTo("Bearer " + key);
        JsonNode body = body(request);
        assertThat(body.path("model").asText()).isEqualTo(model);
        assertThat(body.path("messages").get(0).path("content").asText()).isEqualTo("hello");
        assertThat(body.path("max_tokens").asLong()).isEqualTo(maxTokens);
    }

    @Test
    void providerModelIdsReachTheirProviderInItsFormatWithItsModelAndKey() {
        assertOpenAi(
                routed("openrouter", "anthropic/claude-sonnet-4", ""),
                "/api/v1/chat/completions",
                "anthropic/claude-sonnet-4",
                "sk-fake-openrouter",
                100000);
        assertOpenAi(
                routed("deepseek", "deepseek-chat", ""),
                "/chat/completions",
                "deepseek-chat",
                "sk-fake-deepseek",
                8192);
        assertOpenAi(
                routed("ollama", "qwen2.5-coder:latest", ""),
                "/v1/chat/completions",
                "qwen2.5-coder:latest",
                "ollama",
                100000);
        assertOpenAi(
                routed("volcengine", "deepseek-v3-250324", ""),
                "/api/v3/chat/completions",
                "deepseek-v3-250324",
                "sk-fake-volcengine",
                8192);
        assertOpenAi(
                routed("modelscope", "Qwen/Qwen3-Coder-480B-A35B-Instruct", ""),
                "/v1/chat/completions",
                "Qwen/Qwen3-Coder-480B-A35B-Instruct",
                "sk-fake-modelscope",
                65536);
        assertOpenAi(
                routed("dashscope", "qwen3-coder-plus", ""),
                "/compatible-mode/v1/chat/completions",
                "qwen3-coder-plus",
                "sk-fake-dashscope",
                65536);
        assertOpenAi(
                routed("aihubmix", "Z/glm-4.5", ""), "/v1/chat/completions", "Z/glm-4.5", "sk-fake-aihubmix", 100000);

        RecordedRequest gemini = routed("gemini", "gemini-2.5-pro", "");
        assertThat(gemini.path()).isEqualTo("/v1beta/models/gemini-2.5-pro:generateContent");
        assertThat(gemini.header("x-goog-api-key")).isEqualTo("fake-gemini-key");
        assertThat(body(gemini)
                        .path("contents")
                        .get(0)
                        .path("parts")
                        .get(0)
                        .path("text")
                        .asText())
                .isEqualTo("hello");

        RecordedRequest claude = routed("claude", "claude-sonnet-4-5", "");
        assertThat(claude.path()).isEqualTo("/v1/messages");
        assertThat(claude.header("x-api-key")).isEqualTo("sk-fake-anthropic");
        assertThat(body(claude).path("max_tokens").asLong())
                .as("passed through")
                .isEqualTo(100000);
    }

    @Test
    void theRouterSlotsRouteClaudeCodesRequestsAsThere() {
        int deepseek = upstreams.get("deepseek").requests().size();
        HttpResponse<String> main = ask("claude-sonnet-4-5-20250929", "");
        assertThat(main.headers().firstValue("x-ccr-route")).hasValue("default");
        assertThat(body(upstreams.get("deepseek").lastRequest()).path("model").asText())
                .isEqualTo("deepseek-chat");

        HttpResponse<String> background = ask("claude-3-5-haiku-20241022", "");
        assertThat(background.headers().firstValue("x-ccr-route")).hasValue("background");
        assertThat(body(upstreams.get("ollama").lastRequest()).path("model").asText())
                .isEqualTo("qwen2.5-coder:latest");

        HttpResponse<String> think =
                ask("claude-sonnet-4-5", ",\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":4000}");
        assertThat(think.headers().firstValue("x-ccr-route")).hasValue("think");
        assertThat(body(upstreams.get("deepseek").lastRequest()).path("model").asText())
                .isEqualTo("deepseek-reasoner");
        assertThat(upstreams.get("deepseek").requests()).hasSize(deepseek + 2);

        HttpResponse<String> search =
                ask("claude-sonnet-4-5", ",\"tools\":[{\"type\":\"web_search_20250305\",\"name\":\"web_search\"}]");
        assertThat(search.headers().firstValue("x-ccr-route")).hasValue("webSearch");
        assertThat(upstreams.get("gemini").lastRequest().path())
                .isEqualTo("/v1beta/models/gemini-2.5-flash:generateContent");

        String longText = "word ".repeat(3000);
        HttpResponse<String> longContext = send("{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":100,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"" + longText + "\"}]}");
        assertThat(longContext.headers().firstValue("x-ccr-route")).hasValue("longContext");
        assertThat(body(upstreams.get("openrouter").lastRequest()).path("model").asText())
                .isEqualTo("anthropic/claude-sonnet-4");
    }

    @Test
    void aPerModelReasoningTransformerAsksThatModelAloneToThink() {
        String thinking = ",\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":4000}";
        assertThat(body(routed("modelscope", "Qwen/Qwen3-235B-A22B-Thinking-2507", thinking))
                        .path("enable_thinking")
                        .asBoolean())
                .isTrue();
        assertThat(body(routed("modelscope", "Qwen/Qwen3-Coder-480B-A35B-Instruct", thinking))
                        .has("enable_thinking"))
                .isFalse();
    }

    @Test
    void theApiKeyIsTheRouterToken() {
        HttpResponse<String> anonymous = Http.post(
                router.baseUrl() + "/v1/messages",
                "{\"model\":\"deepseek,deepseek-chat\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\","
                        + "\"content\":\"hi\"}]}",
                Map.of("content-type", "application/json"));
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.body()).contains("\"type\":\"authentication_error\"");

        HttpResponse<String> bearer = Http.post(
                router.baseUrl() + "/v1/messages",
                "{\"model\":\"deepseek,deepseek-chat\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\","
                        + "\"content\":\"hi\"}]}",
                Map.of("content-type", "application/json", "authorization", "Bearer " + ROUTER_KEY));
        assertThat(bearer.statusCode()).isEqualTo(200);
    }

    @Test
    void anEditOfTheFileAppliesWithoutARestart() {
        String config =
                """
                {
                  "Providers": [
                    { "name": "deepseek", "api_base_url": "http://127.0.0.1:%1$d/chat/completions", "api_key": "k1" },
                    { "name": "aihubmix", "api_base_url": "http://127.0.0.1:%2$d/v1/chat/completions", "api_key": "k2" }
                  ],
                  "Router": { "default": "%3$s" }
                }
                """;
        try (RouterFixture watched = RouterFixture.start(
                config.formatted(port("deepseek"), port("aihubmix"), "deepseek,deepseek-chat"), Map.of(), true)) {
            String body = "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\","
                    + "\"content\":\"hi\"}]}";
            Map<String, String> headers = Map.of("content-type", "application/json");
            assertThat(Http.post(watched.baseUrl() + "/v1/messages", body, headers)
                            .headers()
                            .firstValue("x-ccr-endpoint"))
                    .hasValue("deepseek");

            watched.rewriteConfig(config.formatted(port("deepseek"), port("aihubmix"), "aihubmix,Z/glm-4.5"));
            org.awaitility.Awaitility.await()
                    .atMost(java.time.Duration.ofSeconds(20))
                    .untilAsserted(() -> assertThat(Http.post(watched.baseUrl() + "/v1/messages", body, headers)
                                    .headers()
                                    .firstValue("x-ccr-model"))
                            .hasValue("Z/glm-4.5"));
        }
    }
}
