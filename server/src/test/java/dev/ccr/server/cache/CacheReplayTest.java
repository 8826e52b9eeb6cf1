package dev.ccr.server.cache;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ccr.server.json.Json;
import dev.ccr.server.sse.SseEvent;
import dev.ccr.server.sse.SseParser;
import dev.ccr.server.testing.AnthropicSse;
import dev.ccr.server.translate.Usage;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A cached answer comes back as a valid answer of the kind asked for, as a new message. */
class CacheReplayTest {
    private static final String THINKING_AND_TOOL = AnthropicSse.joined(List.of(
            AnthropicSse.frame(
                    "message_start",
                    "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_up\",\"type\":\"message\",\"role\":"
                            + "\"assistant\",\"model\":\"claude-x\",\"content\":[],\"stop_reason\":null,"
                            + "\"stop_sequence\":null,\"usage\":{\"input_tokens\":12,\"output_tokens\":1,"
                            + "\"cache_read_input_tokens\":100,\"cache_creation_input_tokens\":0}}}"),
            AnthropicSse.frame("ping", "{\"type\": \"ping\"}"),
            AnthropicSse.frame(
                    "content_block_start",
                    "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"thinking\","
                            + "\"thinking\":\"\",\"signature\":\"\"}}"),
            delta(0, "{\"type\":\"thinking_delta\",\"thinking\":\"Let me \"}"),
            delta(0, "{\"type\":\"thinking_delta\",\"thinking\":\"look.\"}"),
            delta(0, "{\"type\":\"signature_delta\",\"signature\":\"sig==\"}"),
            stop(0),
            AnthropicSse.frame(
                    "content_block_start",
                    "{\"type\":\"content_block_start\",\"index\":1,\"content_block\":{\"type\":\"tool_use\","
                            + "\"id\":\"toolu_1\",\"name\":\"Bash\",\"input\":{}}}"),
            delta(1, "{\"type\":\"input_json_delta\",\"partial_json\":\"{\\\"command\\\":\"}"),
            delta(1, "{\"type\":\"input_json_delta\",\"partial_json\":\"\\\"ls\\\"}\"}"),
            stop(1),
            AnthropicSse.frame(
                    "message_delta",
                    "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"tool_use\",\"stop_sequence\":null},"
                            + "\"usage\":{\"output_tokens\":30}}"),
            AnthropicSse.frame("message_stop", "{\"type\":\"message_stop\"}")));

    private static String delta(int index, String delta) {
        return AnthropicSse.frame(
                "content_block_delta",
                "{\"type\":\"content_block_delta\",\"index\":" + index + ",\"delta\":" + delta + "}");
    }

    private static String stop(int index) {
        return AnthropicSse.frame("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":" + index + "}");
    }

    private static CachedAnswer stored(boolean stream, String body) {
        return new CachedAnswer(
                stream, body.getBytes(StandardCharsets.UTF_8), "anthropic", "claude-x", "default", Usage.NONE);
    }

    private static List<SseEvent> events(Buffer body) {
        List<SseEvent> events = new ArrayList<>();
        new SseParser(events::add).feed(body);
        return events;
    }

    @Test
    void aStoredStreamReplaysFrameForFrameWithANewIdAndNoPings() throws Exception {
        Buffer replay = CacheReplay.render(stored(true, THINKING_AND_TOOL), true);
        List<SseEvent> events = events(replay);
        List<SseEvent> original = events(Buffer.buffer(THINKING_AND_TOOL));
        original.removeIf(e -> e.event().equals("ping"));
        assertThat(events).hasSameSizeAs(original);
        for (int i = 1; i < events.size(); i++) {
            assertThat(events.get(i)).isEqualTo(original.get(i));
        }
        JsonNode start = Json.MAPPER.readTree(events.get(0).data());
        assertThat(start.path("message").path("id").asText())
                .startsWith("msg_ccr_")
                .isNotEqualTo("msg_up");
        assertThat(start.path("message")
                        .path("usage")
                        .path("cache_read_input_tokens")
                        .asInt())
                .isEqualTo(100);
        String again = Json.MAPPER
                .readTree(events(CacheReplay.render(stored(true, THINKING_AND_TOOL), true))
                        .get(0)
                        .data())
                .path("message")
                .path("id")
                .asText();
        assertThat(again)
                .as("each replay is a message of its own")
                .isNotEqualTo(start.path("message").path("id").asText());
    }

    @Test
    void aStoredStreamBecomesOneMessageForAClientThatAskedForNone() throws Exception {
        JsonNode message = Json.MAPPER.readTree(
                CacheReplay.render(stored(true, THINKING_AND_TOOL), false).getBytes());
        assertThat(message.path("id").asText()).startsWith("msg_ccr_");
        assertThat(message.path("model").asText()).isEqualTo("claude-x");
        assertThat(message.path("content").get(0).path("thinking").asText()).isEqualTo("Let me look.");
        assertThat(message.path("content").get(0).path("signature").asText()).isEqualTo("sig==");
        assertThat(message.path("content").get(1).path("input"))
                .isEqualTo(Json.object().put("command", "ls"));
        assertThat(message.path("stop_reason").asText()).isEqualTo("tool_use");
        assertThat(message.path("usage").path("output_tokens").asInt()).isEqualTo(30);
    }

    @Test
    void aStoredMessageStreamsAsAValidEventSequence() throws Exception {
        String message = new String(
                CacheReplay.render(stored(true, THINKING_AND_TOOL), false).getBytes(), StandardCharsets.UTF_8);
        Buffer stream = CacheReplay.render(stored(false, message), true);
        List<String> names = events(stream).stream().map(SseEvent::event).toList();
        assertThat(names)
                .containsExactly(
                        "message_start",
                        "content_block_start",
                        "content_block_delta",
                        "content_block_delta",
                        "content_block_stop",
                        "content_block_start",
                        "content_block_delta",
                        "content_block_stop",
                        "message_delta",
                        "message_stop");
        // And back again: the same content.
        JsonNode roundTrip =
                Json.MAPPER.readTree(CacheReplay.render(stored(true, stream.toString(StandardCharsets.UTF_8)), false)
                        .getBytes());
        JsonNode original = Json.MAPPER.readTree(message);
        assertThat(roundTrip.path("content")).isEqualTo(original.path("content"));
        assertThat(roundTrip.path("usage")).isEqualTo(original.path("usage"));
    }

    @Test
    void aStoredMessageReplaysWholeWithANewId() throws Exception {
        JsonNode replay = Json.MAPPER.readTree(CacheReplay.render(
                        stored(
                                false,
                                "{\"id\":\"msg_up\",\"type\":\"message\",\"content\":[{\"type\":\"text\",\"text\":\"hi\"}]}"),
                        false)
                .getBytes());
        assertThat(replay.path("id").asText()).startsWith("msg_ccr_");
        assertThat(replay.path("content").get(0).path("text").asText()).isEqualTo("hi");
    }

    @Test
    void blocksOnlyTheStoredFormCanCarryAreReplayedOnlyInThatForm() {
        String search = THINKING_AND_TOOL.replace(
                "\"type\":\"tool_use\",\"id\":\"toolu_1\"", "\"type\":\"server_tool_use\",\"id\":\"srvtoolu_1\"");
        assertThat(CacheReplay.render(stored(true, search), true)).isNotNull();
        assertThat(CacheReplay.render(stored(true, search), false)).isNull();
    }
}
