package dev.ccr.server.translate.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ccr.server.config.MaxTokensField;
import dev.ccr.server.config.Provider;
import dev.ccr.server.config.Quirks;
import dev.ccr.server.config.ReasoningRequest;
import dev.ccr.server.error.ApiException;
import dev.ccr.server.json.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

class OpenAiRequestTranslatorTest {
    private static final String THINKING =
            """
            {"model":"x","max_tokens":100,"temperature":0.5,"top_p":0.9,
             "thinking":{"type":"enabled","budget_tokens":20000},
             "messages":[{"role":"user","content":"hi"}]}
            """;

    private static JsonNode translate(String request, String model, Quirks quirks) throws Exception {
        return Json.MAPPER.readTree(
                OpenAiRequestTranslator.translate(Json.MAPPER.readTree(request), model, true, quirks)
                        .getBytes());
    }

    private static Quirks with(ReasoningRequest reasoning) {
        Quirks generic = Provider.GENERIC.preset();
        return new Quirks(
                generic.maxTokensField(),
                reasoning,
                List.of(),
                false,
                false,
                generic.streamUsage(),
                true,
                false,
                false,
                0);
    }

    @Test
    void openAiReasoningModelsGetEffortAndNoSampling() throws Exception {
        JsonNode o3 = translate(THINKING, "o3-mini", Provider.OPENAI.preset());
        assertThat(o3.path("reasoning_effort").asText()).isEqualTo("high");
        assertThat(o3.has("temperature")).isFalse();
        assertThat(o3.has("top_p")).isFalse();
        assertThat(o3.path("max_completion_tokens").asInt()).isEqualTo(100);

        JsonNode gpt4o = translate(THINKING, "gpt-4o", Provider.OPENAI.preset());
        assertThat(gpt4o.has("reasoning_effort")).isFalse();
        assertThat(gpt4o.path("temperature").asDouble()).isEqualTo(0.5);
    }

    @Test
    void anOutputLimitAboveTheUpstreamsLargestIsLoweredToIt() throws Exception {
        Quirks generic = Provider.GENERIC.preset();
        Quirks capped = new Quirks(
                generic.maxTokensField(),
                generic.reasoningRequest(),
                List.of(),
                false,
                false,
                true,
                true,
                false,
                false,
                8192);
        String request = "{\"model\":\"x\",\"max_tokens\":32000,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        assertThat(translate(request, "deepseek-chat", capped)
                        .path("max_tokens")
                        .asLong())
                .isEqualTo(8192);
        assertThat(translate(request.replace("32000", "100"), "deepseek-chat", capped)
                        .path("max_tokens")
                        .asLong())
                .isEqualTo(100);
        assertThat(translate(request, "x", generic).path("max_tokens").asLong()).isEqualTo(32000);
    }

    @Test
    void eachProviderIsAskedToThinkItsOwnWay() throws Exception {
        assertThat(translate(THINKING, "glm-4.6", with(ReasoningRequest.THINKING))
                        .path("thinking"))
                .isEqualTo(Json.object().put("type", "enabled"));
        JsonNode qwen = translate(THINKING, "qwen3", with(ReasoningRequest.ENABLE_THINKING));
        assertThat(qwen.path("enable_thinking").asBoolean()).isTrue();
        assertThat(qwen.path("thinking_budget").asInt()).isEqualTo(20000);
        assertThat(translate(THINKING, "m", with(ReasoningRequest.REASONING)).path("reasoning"))
                .isEqualTo(Json.object().put("effort", "high"));
        String off = THINKING.replace("\"type\":\"enabled\",\"budget_tokens\":20000", "\"type\":\"disabled\"");
        assertThat(translate(off, "m", with(ReasoningRequest.REASONING)).path("reasoning"))
                .isEqualTo(Json.object().put("enabled", false));
        assertThat(translate(off, "glm-4.6", with(ReasoningRequest.THINKING)).path("thinking"))
                .isEqualTo(Json.object().put("type", "disabled"));
        String adaptive = THINKING.replace(
                "\"type\":\"enabled\",\"budget_tokens\":20000",
                "\"type\":\"adaptive\"},\"output_config\":{\"effort\":\"low\"");
        assertThat(translate(adaptive, "o4-mini", Provider.OPENAI.preset())
                        .path("reasoning_effort")
                        .asText())
                .isEqualTo("low");
        assertThat(translate(THINKING, "deepseek-chat", Provider.DEEPSEEK.preset())
                        .has("thinking"))
                .isFalse();
        assertThat(translate(THINKING, "m", with(ReasoningRequest.NONE))
                        .path("max_tokens")
                        .asInt())
                .isEqualTo(100);
    }

    @Test
    void openRouterKeepsCacheMarksAndStructuredOutputBecomesJsonSchema() throws Exception {
        JsonNode out = translate(
                """
                {"model":"x","max_tokens":10,
                 "system":[{"type":"text","text":"A"},{"type":"text","text":"B","cache_control":{"type":"ephemeral"}}],
                 "output_config":{"format":{"type":"json_schema","schema":{"type":"object"}}},
                 "messages":[{"role":"user","content":"hi"}]}
                """,
                "anthropic/claude-sonnet-4.5",
                Provider.OPENROUTER.preset());
        assertThat(out.at("/messages/0/content/1/cache_control/type").asText()).isEqualTo("ephemeral");
        assertThat(out.at("/messages/0/content/0/text").asText()).isEqualTo("A");
        assertThat(out.at("/response_format/json_schema/schema/type").asText()).isEqualTo("object");
        assertThat(Provider.OPENROUTER.preset().maxTokensField()).isEqualTo(MaxTokensField.MAX_TOKENS);
    }

    @Test
    void imagesInToolResultsFollowInTheUserMessage() throws Exception {
        JsonNode out = translate(
                """
                {"model":"x","messages":[
                  {"role":"assistant","content":[{"type":"tool_use","id":"t1","name":"Screenshot","input":{}}]},
                  {"role":"user","content":[{"type":"tool_result","tool_use_id":"t1","content":[
                     {"type":"text","text":"captured"},
                     {"type":"image","source":{"type":"base64","media_type":"image/png","data":"AAAA"}}]}]}]}
                """,
                "m",
                Provider.GENERIC.preset());
        assertThat(out.at("/messages/1/role").asText()).isEqualTo("tool");
        assertThat(out.at("/messages/1/content").asText()).isEqualTo("captured");
        assertThat(out.at("/messages/2/role").asText()).isEqualTo("user");
        assertThat(out.at("/messages/2/content/0/text").asText()).isEqualTo("(attachment from tool result t1)");
        assertThat(out.at("/messages/2/content/1/image_url/url").asText()).isEqualTo("data:image/png;base64,AAAA");
    }

    @Test
    void untranslatableInputIsA400InAnthropicWords() {
        assertThatThrownBy(() -> translate(
                        "{\"model\":\"x\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"hologram\"}]}]}",
                        "m",
                        Provider.GENERIC.preset()))
                .isInstanceOf(ApiException.class)
                .hasMessage("messages.0.content.0: content blocks of type \"hologram\" cannot be sent to OpenAI-format"
                        + " endpoints");
        assertThatThrownBy(() -> translate(
                        "{\"model\":\"x\",\"messages\":[{\"role\":\"robot\",\"content\":\"hi\"}]}",
                        "m",
                        Provider.GENERIC.preset()))
                .isInstanceOf(ApiException.class)
                .hasMessageContaining("messages.0.role: expected user, assistant or system");
        assertThatThrownBy(() -> translate("{\"model\":\"x\"}", "m", Provider.GENERIC.preset()))
                .isInstanceOf(ApiException.class)
                .hasMessageContaining("messages: field required");
    }

    @Test
    void aCacheMarksTtlIsLeftOutWhereCacheMarksAreKept() throws Exception {
        Quirks generic = Provider.GENERIC.preset();
        Quirks marks = new Quirks(
                generic.maxTokensField(),
                generic.reasoningRequest(),
                List.of(),
                false,
                false,
                generic.streamUsage(),
                true,
                false,
                true,
                0);
        JsonNode out = translate(
                """
                {"model":"x","max_tokens":10,"system":[{"type":"text","text":"Be brief.",
                  "cache_control":{"type":"ephemeral","ttl":"1h"}}],
                 "messages":[{"role":"user","content":"hi"}]}
                """,
                "m",
                marks);
        JsonNode part = out.path("messages").get(0).path("content").get(0);
        assertThat(part.path("text").asText()).isEqualTo("Be brief.");
        assertThat(part.path("cache_control")).isEqualTo(Json.object().put("type", "ephemeral"));
    }

    @Test
    void deferredToolsAndContextManagementAreLeftOut() throws Exception {
        JsonNode out = translate(
                """
                {"model":"x","max_tokens":10,"messages":[{"role":"user","content":"hi"}],
                 "context_management":{"edits":[{"type":"clear_thinking_20251015","keep":"all"}]},
                 "tools":[{"name":"Read","input_schema":{"type":"object"}},
                          {"name":"Later","input_schema":{"type":"object"},"defer_loading":true}]}
                """,
                "m",
                Provider.GENERIC.preset());
        assertThat(out.path("tools").findValuesAsText("name")).containsExactly("Read");
        assertThat(out.has("context_management")).isFalse();
    }
}
