package dev.ccr.server.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ccr.server.config.ConfigLoader;
import dev.ccr.server.config.EffectiveConfig;
import dev.ccr.server.config.Overrides;
import dev.ccr.server.error.ApiException;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RouteResolverTest {
    private static final String CONFIG =
            """
            {
              "endpoints": [
                { "name": "anthropic", "type": "anthropic", "baseUrl": "https://api.anthropic.com/v1" },
                { "name": "glm", "type": "custom", "baseUrl": "https://open.bigmodel.cn/api/paas/v4", "apiKey": "k",
                  "models": ["glm-4.6", "glm-4.5-air"], "modelMap": { "*haiku*": "glm-4.5-air" } },
                { "name": "gemini", "type": "gemini", "baseUrl": "https://generativelanguage.googleapis.com/v1beta",
                  "apiKey": "k", "models": ["gemini-2.5-pro"] },
                { "name": "ds", "type": "openai", "baseUrl": "https://api.deepseek.com", "apiKey": "k",
                  "models": ["deepseek-chat", "deepseek-reasoner"] }
              ],
              "defaultEndpoint": "anthropic",
              "longContextThreshold": 2000,
              "routes": { "background": "glm", "think": "ds,deepseek-reasoner", "longContext": "gemini",
                          "webSearch": "gemini,gemini-2.5-flash", "image": "glm,glm-4.5v" },
              "rules": [
                { "name": "vscode", "headers": { "user-agent": "*claude-vscode*" }, "model": "*opus*",
                  "target": "ds,deepseek-chat" },
                { "name": "no-tools-small", "tools": false, "maxTokens": 50, "thinking": false, "target": "glm" }
              ]
            }
            """;

    private final RouteResolver resolver = new RouteResolver();
    private final EffectiveConfig config = load(CONFIG);

    static EffectiveConfig load(String text) {
        try {
            return new ConfigLoader(name -> null)
                    .parse(text.getBytes(StandardCharsets.UTF_8), Path.of("config.json"), Overrides.NONE)
                    .config();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** The first target, which is all a route of one target has. */
    private Target route(String body, Map<String, String> headers) {
        return resolver.resolve(MessagesRequest.parse(Buffer.buffer(body)), headers::get, config)
                .first();
    }

    private Target route(String body) {
        return route(body, Map.of());
    }

    private static String body(String model, String extra) {
        return "{\"model\":\"" + model + "\",\"max_tokens\":10,\"messages\":[{\"role\":\"user\",\"content\":"
                + "\"hello there, tell me something\"}]" + extra + "}";
    }

    private static final String TOOLS = ",\"tools\":[{\"name\":\"Bash\",\"input_schema\":{\"type\":\"object\"}}]";

    @Test
    void explicitIdsWinOverEverything() {
        Target comma = route(body("ds,deepseek-chat", ",\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":9}"));
        assertThat(comma)
                .extracting(t -> t.endpoint().name(), Target::model, Target::route)
                .containsExactly("ds", "deepseek-chat", "explicit");
        Target listed = route(body("claude-ccr/glm/z-ai/glm-4.6", TOOLS));
        assertThat(listed)
                .extracting(t -> t.endpoint().name(), Target::model, Target::route)
                .containsExactly("glm", "z-ai/glm-4.6", "explicit");
    }

    @Test
    void unknownExplicitEndpointIsNotFound() {
        assertThatThrownBy(() -> route(body("nope,model", "")))
                .isInstanceOf(ApiException.class)
                .hasMessageContaining("no endpoint is named \"nope\"")
                .hasMessageContaining("anthropic, glm, gemini, ds");
        assertThatThrownBy(() -> route(body("claude-ccr/glm", "")))
                .isInstanceOf(ApiException.class)
                .hasMessageContaining("names no model");
    }

    @Test
    void rulesComeBeforeScenarios() {
        Target vscode = route(
                body("claude-opus-4-8", TOOLS + ",\"thinking\":{\"type\":\"adaptive\"}"),
                Map.of("user-agent", "claude-cli/2.1.197 (external, claude-vscode)"));
        assertThat(vscode.route()).isEqualTo("rule:vscode");
        assertThat(vscode.model()).isEqualTo("deepseek-chat");

        Target small = route(body("claude-sonnet-5", ""));
        assertThat(small.route()).isEqualTo("rule:no-tools-small");
        assertThat(small.endpoint().name()).isEqualTo("glm");
        assertThat(small.model()).isEqualTo("glm-4.6"); // no modelMap match: the endpoint's first model
    }

    @Test
    void scenariosInTheirOrder() {
        String longText = "x".repeat(10000);
        Target longContext = route("{\"model\":\"claude-haiku-4-5\",\"messages\":[{\"role\":\"user\",\"content\":\""
                + longText + "\"}]" + TOOLS + "}");
        assertThat(longContext.route()).isEqualTo("longContext");
        assertThat(longContext.model()).isEqualTo("gemini-2.5-pro");

        Target image = route("{\"model\":\"claude-haiku-4-5\",\"messages\":[{\"role\":\"user\",\"content\":["
                + "{\"type\":\"image\",\"source\":{\"type\":\"base64\",\"media_type\":\"image/png\",\"data\":\""
                + "A".repeat(20000) + "\"}}]}]" + TOOLS + "}");
        assertThat(image.route()).isEqualTo("image");
        assertThat(image.model()).isEqualTo("glm-4.5v");

        Target search = route(
                body("claude-haiku-4-5", ",\"tools\":[{\"type\":\"web_search_20250305\",\"name\":\"web_search\"}]"));
        assertThat(search.route()).isEqualTo("webSearch");

        Target background = route(body(
                "claude-haiku-4-5-20251001", TOOLS + ",\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":1024}"));
        assertThat(background.route()).isEqualTo("background");
        assertThat(background.model()).isEqualTo("glm-4.5-air"); // mapped by the endpoint's modelMap

        Target think = route(body("claude-sonnet-5", TOOLS + ",\"thinking\":{\"type\":\"adaptive\"}"));
        assertThat(think.route()).isEqualTo("think");
        assertThat(think.model()).isEqualTo("deepseek-reasoner");
    }

    @Test
    void defaultKeepsTheModelForAnthropic() {
        Target plain = route(body("claude-sonnet-5", TOOLS + ",\"thinking\":{\"type\":\"disabled\"}"));
        assertThat(plain)
                .extracting(t -> t.endpoint().name(), Target::model, Target::route)
                .containsExactly("anthropic", "claude-sonnet-5", "default");
    }

    @Test
    void requestScanFindsWhatRoutingNeeds() {
        MessagesRequest request = MessagesRequest.parse(Buffer.buffer("{\"model\":\"m\",\"stream\":true,"
                + "\"system\":[{\"type\":\"text\",\"text\":\"" + "s".repeat(350) + "\"}],"
                + "\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":\"t\","
                + "\"content\":[{\"type\":\"image\",\"source\":{\"type\":\"base64\",\"data\":\"QUFB\"}}]}]}],"
                + "\"tools\":[{\"name\":\"Read\",\"input_schema\":{}},{\"name\":\"Bash\"}],"
                + "\"thinking\":{\"budget_tokens\":5,\"type\":\"enabled\"}}"));
        assertThat(request.stream()).isTrue();
        assertThat(request.thinking()).isTrue();
        assertThat(request.images()).isTrue();
        assertThat(request.toolNames()).containsExactly("Read", "Bash");
        assertThat(request.webSearch()).isFalse();
        assertThat(request.estimatedInputTokens())
                .isBetween(
                        dev.ccr.server.tokens.TokenCounter.TOKENS_PER_IMAGE + 100,
                        dev.ccr.server.tokens.TokenCounter.TOKENS_PER_IMAGE + 130);
    }
}
