package dev.ccr.server.translate.openai;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ccr.server.json.Json;
import dev.ccr.server.sse.SseEvent;
import dev.ccr.server.translate.MessageAssembler;
import dev.ccr.server.translate.TranslationContext;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * OpenAI chunks and messages that carry two things at once: reasoning with content in one delta, content with tool
 * calls, the finish reason and the usage with content, a refusal, text between the argument pieces of a call. Every
 * piece of the answer must reach the client, in order, in valid blocks.
 */
class OpenAiTwoThingsAtOnceTest {
    private final MessageAssembler message = new MessageAssembler();
    private final TranslationContext context =
            new TranslationContext(OpenAiStreamTranslatorTest.endpoint(), "m", "msg_1", 42, List.of());
    private final OpenAiStreamTranslator translator = new OpenAiStreamTranslator(message, context, true);

    private void feed(String data) {
        translator.accept(new SseEvent(null, data));
    }

    private JsonNode content() {
        translator.end();
        return message.message().path("content");
    }

    @Test
    void reasoningAndContentInOneDeltaBecomeThinkingThenText() {
        feed("{\"choices\":[{\"delta\":{\"reasoning_content\":\"Think.\",\"content\":\"Answer.\"}}]}");
        feed("{\"choices\":[{\"delta\":{},\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":5,"
                + "\"completion_tokens\":2}}");

        JsonNode content = content();
        assertThat(content).hasSize(2);
        assertThat(content.get(0).path("thinking").asText()).isEqualTo("Think.");
        assertThat(content.get(1).path("text").asText()).isEqualTo("Answer.");
    }

    @Test
    void contentAndAToolCallInOneDeltaKeepBoth() {
        feed("{\"choices\":[{\"delta\":{\"content\":\"Listing.\",\"tool_calls\":[{\"index\":0,\"id\":\"c1\","
                + "\"function\":{\"name\":\"Bash\",\"arguments\":\"{\\\"command\\\":\\\"ls\\\"}\"}}]}}]}");
        feed("{\"choices\":[{\"delta\":{},\"finish_reason\":\"tool_calls\"}],\"usage\":{\"prompt_tokens\":5,"
                + "\"completion_tokens\":2}}");

        JsonNode content = content();
        assertThat(content).hasSize(2);
        assertThat(content.get(0).path("text").asText()).isEqualTo("Listing.");
        assertThat(content.get(1).path("input")).isEqualTo(Json.object().put("command", "ls"));
        assertThat(message.message().path("stop_reason").asText()).isEqualTo("tool_use");
    }

    @Test
    void contentFinishAndUsageInOneChunkAreAllKept() {
        feed("{\"choices\":[{\"delta\":{\"content\":\"Whole answer.\"},\"finish_reason\":\"length\"}],"
                + "\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":9}}");

        JsonNode content = content();
        assertThat(content).hasSize(1);
        assertThat(content.get(0).path("text").asText()).isEqualTo("Whole answer.");
        assertThat(message.message().path("stop_reason").asText()).isEqualTo("max_tokens");
        assertThat(message.message().path("usage").path("output_tokens").asLong())
                .isEqualTo(9);
    }

    @Test
    void aRefusalIsTheAnswersText() {
        feed("{\"choices\":[{\"delta\":{\"content\":null,\"refusal\":\"I can't help with that.\"}}]}");
        feed("{\"choices\":[{\"delta\":{},\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":5,"
                + "\"completion_tokens\":2}}");

        assertThat(content().get(0).path("text").asText()).isEqualTo("I can't help with that.");
    }

    @Test
    void textBetweenTheArgumentPiecesOfACallFollowsTheCompleteCall() {
        feed("{\"choices\":[{\"delta\":{\"tool_calls\":[{\"index\":0,\"id\":\"c1\",\"function\":{\"name\":\"Bash\","
                + "\"arguments\":\"{\\\"command\\\":\"}}]}}]}");
        feed("{\"choices\":[{\"delta\":{\"content\":\"\\n\"}}]}");
        feed(
                "{\"choices\":[{\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"\\\"ls\\\"}\"}}]}}]}");
        feed("{\"choices\":[{\"delta\":{},\"finish_reason\":\"tool_calls\"}],\"usage\":{\"prompt_tokens\":5,"
                + "\"completion_tokens\":2}}");

        JsonNode content = content();
        assertThat(content).hasSize(2);
        assertThat(content.get(0).path("input")).isEqualTo(Json.object().put("command", "ls"));
        assertThat(content.get(1).path("text").asText()).isEqualTo("\n");
    }

    @Test
    void aWholeMessageWithReasoningContentToolCallsAndRefusalKeepsEveryPart() throws Exception {
        MessageAssembler whole = new MessageAssembler();
        OpenAiResponseTranslator.translate(
                Json.MAPPER.readTree(
                        """
                        {"choices":[{"index":0,"finish_reason":"tool_calls","message":{"role":"assistant",
                          "reasoning_content":"Think.","content":"Running it.","tool_calls":[{"id":"c1",
                          "type":"function","function":{"name":"Bash","arguments":"{\\"command\\":\\"ls\\"}"}}]}}],
                         "usage":{"prompt_tokens":5,"completion_tokens":2}}
                        """),
                whole,
                context);
        JsonNode content = whole.message().path("content");
        assertThat(content.findValuesAsText("type")).containsExactly("thinking", "text", "tool_use");

        MessageAssembler refused = new MessageAssembler();
        OpenAiResponseTranslator.translate(
                Json.MAPPER.readTree(
                        "{\"choices\":[{\"finish_reason\":\"stop\",\"message\":{\"role\":\"assistant\",\"content\":null,"
                                + "\"refusal\":\"No.\"}}]}"),
                refused,
                context);
        assertThat(refused.message().path("content").get(0).path("text").asText())
                .isEqualTo("No.");
    }
}
