package dev.ccr.server.testing;

import java.util.ArrayList;
import java.util.List;

/** Builds Anthropic Messages event streams the way the real API frames them, for fake upstreams. */
public final class AnthropicSse {
    private AnthropicSse() {}

    public static String frame(String event, String json) {
        return "event: " + event + "\ndata: " + json + "\n\n";
    }

    /** The frames of a complete answer that streams {@code text} in the given pieces. */
    public static List<String> textAnswer(String model, int inputTokens, String... pieces) {
        List<String> frames = new ArrayList<>();
        frames.add(frame(
                "message_start",
                "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_test\",\"type\":\"message\",\"role\":\"assistant\","
                        + "\"model\":\"" + model + "\",\"content\":[],\"stop_reason\":null,\"stop_sequence\":null,"
                        + "\"usage\":{\"input_tokens\":" + inputTokens + ",\"output_tokens\":1}}}"));
        frames.add(frame(
                "content_block_start",
                "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}"));
        frames.add(frame("ping", "{\"type\": \"ping\"}"));
        for (String piece : pieces) {
            frames.add(frame(
                    "content_block_delta",
                    "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\""
                            + piece + "\"}}"));
        }
        frames.add(frame("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}"));
        frames.add(frame(
                "message_delta",
                "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\",\"stop_sequence\":null},"
                        + "\"usage\":{\"output_tokens\":" + (pieces.length + 1) + "}}"));
        frames.add(frame("message_stop", "{\"type\":\"message_stop\"}"));
        return frames;
    }

    public static String joined(List<String> frames) {
        return String.join("", frames);
    }
}
