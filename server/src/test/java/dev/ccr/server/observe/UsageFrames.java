package dev.ccr.server.observe;

import dev.ccr.server.testing.AnthropicSse;

/** Answers from a fake Anthropic upstream that report prompt-cache usage, as Claude Code's long sessions do. */
final class UsageFrames {
    private UsageFrames() {}

    /** A streamed answer whose {@code message_start} reports input and cache tokens and whose delta reports output. */
    static String stream(String model, long input, long cacheCreation, long cacheRead, long output) {
        return AnthropicSse.frame(
                        "message_start",
                        "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"type\":\"message\","
                                + "\"role\":\"assistant\",\"model\":\"" + model + "\",\"content\":[],"
                                + "\"stop_reason\":null,\"stop_sequence\":null,\"usage\":{\"input_tokens\":" + input
                                + ",\"cache_creation_input_tokens\":" + cacheCreation
                                + ",\"cache_read_input_tokens\":" + cacheRead + ",\"output_tokens\":1}}}")
                + AnthropicSse.frame(
                        "content_block_start",
                        "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\","
                                + "\"text\":\"\"}}")
                + AnthropicSse.frame(
                        "content_block_delta",
                        "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\","
                                + "\"text\":\"Hi\"}}")
                + AnthropicSse.frame("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}")
                + AnthropicSse.frame(
                        "message_delta",
                        "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\","
                                + "\"stop_sequence\":null},\"usage\":{\"output_tokens\":" + output + "}}")
                + AnthropicSse.frame("message_stop", "{\"type\":\"message_stop\"}");
    }

    /** The same usage in a whole (non-streamed) message. */
    static String message(String model, long input, long cacheCreation, long cacheRead, long output) {
        return "{\"id\":\"msg_2\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"" + model + "\","
                + "\"content\":[{\"type\":\"text\",\"text\":\"Hi, with a \\\"usage\\\" word in it\"}],"
                + "\"stop_reason\":\"end_turn\",\"stop_sequence\":null,\"usage\":{\"input_tokens\":" + input
                + ",\"cache_creation_input_tokens\":" + cacheCreation + ",\"cache_read_input_tokens\":" + cacheRead
                + ",\"output_tokens\":" + output + "}}";
    }
}
