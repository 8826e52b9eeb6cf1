package dev.ccr.server.translate.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ccr.server.config.ConfigLoader;
import dev.ccr.server.config.Endpoint;
import dev.ccr.server.config.Overrides;
import dev.ccr.server.error.ApiException;
import dev.ccr.server.error.ErrorType;
import dev.ccr.server.sse.SseEvent;
import dev.ccr.server.translate.SseEvents;
import dev.ccr.server.translate.TranslationContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class OpenAiStreamTranslatorTest {
    static Endpoint endpoint() {
        try {
            return new ConfigLoader(n -> null)
                    .parse(
                            "{\"endpoints\":[{\"name\":\"up\",\"type\":\"openai\",\"baseUrl\":\"http://127.0.0.1:9/v1\"}]}"
                                    .getBytes(StandardCharsets.UTF_8),
                            Path.of("c.json"),
                            Overrides.NONE)
                    .config()
                    .endpoints()
                    .get(0);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private final SseEvents events = new SseEvents();
    private final OpenAiStreamTranslator translator =
            new OpenAiStreamTranslator(events, new TranslationContext(endpoint(), "m", "msg_1", 42, List.of()), true);

    private void feed(String data) {
        translator.accept(new SseEvent(null, data));
    }

    @Test
    void anErrorFirstProducesNothingSoTheClientGetsAnHttpStatus() {
        assertThatThrownBy(() -> feed("{\"error\":{\"message\":\"slow down\",\"type\":\"rate_limit_exceeded\"}}"))
                .isInstanceOfSatisfying(
                        ApiException.class, e -> assertThat(e.type()).isEqualTo(ErrorType.RATE_LIMIT));
        assertThat(events.hasOutput()).isFalse();
    }

    @Test
    void interleavedParallelCallsAreRefusedRatherThanMisattributed() {
        feed("{\"choices\":[{\"delta\":{\"tool_calls\":[{\"index\":0,\"id\":\"a\",\"function\":{\"name\":\"A\","
                + "\"arguments\":\"{\"}}]}}]}");
        feed("{\"choices\":[{\"delta\":{\"tool_calls\":[{\"index\":1,\"id\":\"b\",\"function\":{\"name\":\"B\","
                + "\"arguments\":\"{}\"}}]}}]}");
        assertThatThrownBy(() -> feed("{\"choices\":[{\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":"
                        + "{\"arguments\":\"}\"}}]}}]}"))
                .isInstanceOf(ApiException.class)
                .hasMessageContaining("interleaved the arguments of parallel tool calls");
    }

    @Test
    void whateverFollowsMessageStopIsIgnored() {
        // Found by StreamTranslatorsFuzzTest: "data: [DONe]" after a complete answer became an error event after
        // message_stop, which no client accepts.
        feed("{\"choices\":[{\"delta\":{\"content\":\"hi\"},\"finish_reason\":\"stop\"}],"
                + "\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":2}}");
        assertThat(events.drain().toString()).endsWith("event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n");

        feed("[DONe]");
        feed("{\"error\":{\"message\":\"late\"}}");
        feed("{\"choices\":[{\"delta\":{\"content\":\"more\"}}]}");
        translator.end();
        assertThat(events.hasOutput()).isFalse();
    }

    @Test
    void argumentsForACallAfterTextCameBetweenAreNotACrash() {
        // Found by StreamTranslatorsFuzzTest: the emitter threw IllegalStateException, a router bug to the client.
        // The text now follows the complete call (OpenAiTwoThingsAtOnceTest has the whole stream).
        feed("{\"choices\":[{\"delta\":{\"tool_calls\":[{\"index\":0,\"id\":\"a\",\"function\":{\"name\":\"A\","
                + "\"arguments\":\"{\"}}]}}]}");
        feed("{\"choices\":[{\"delta\":{\"content\":\"by the way\"}}]}");
        feed("{\"choices\":[{\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"}\"}}]}}]}");
        feed("{\"choices\":[{\"delta\":{},\"finish_reason\":\"tool_calls\"}],\"usage\":{\"prompt_tokens\":9,"
                + "\"completion_tokens\":2}}");
        translator.end();
        String out = events.drain().toString();
        assertThat(out)
                .contains("\"partial_json\":\"{\"")
                .contains("\"partial_json\":\"}\"")
                .contains("by the way");
        assertThat(out.indexOf("by the way")).isGreaterThan(out.indexOf("\"partial_json\":\"}\""));
    }

    @Test
    void argumentsBeforeTheNameWaitForIt() {
        feed(
                "{\"choices\":[{\"delta\":{\"tool_calls\":[{\"index\":0,\"id\":\"a\",\"function\":{\"arguments\":\"{\\\"x\\\":\"}}]}}]}");
        feed(
                "{\"choices\":[{\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"name\":\"A\",\"arguments\":\"1}\"}}]}}]}");
        feed("{\"choices\":[{\"delta\":{},\"finish_reason\":\"tool_calls\"}],\"usage\":{\"prompt_tokens\":9,"
                + "\"completion_tokens\":2}}");
        String out = events.drain().toString();
        assertThat(out)
                .contains("\"content_block\":{\"type\":\"tool_use\",\"id\":\"a\",\"name\":\"A\",\"input\":{}}")
                .contains("\"partial_json\":\"{\\\"x\\\":\"")
                .contains("\"partial_json\":\"1}\"")
                // usage in the finish chunk itself: nothing to wait for
                .contains("\"stop_reason\":\"tool_use\"")
                .endsWith("event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n");
        translator.end();
    }

    @Test
    void aFinishWithoutUsageEndsOnDoneWithTheLocalCount() {
        feed("{\"choices\":[{\"delta\":{\"content\":\"hello\"}}]}");
        feed("{\"choices\":[{\"delta\":{},\"finish_reason\":\"stop\"}]}");
        assertThat(events.drain().toString())
                .contains("event: content_block_stop")
                .doesNotContain("message_delta");
        feed("[DONE]");
        assertThat(events.drain().toString())
                .contains("\"usage\":{\"input_tokens\":42,\"cache_creation_input_tokens\":0,"
                        + "\"cache_read_input_tokens\":0,\"output_tokens\":2}");
    }

    @Test
    void usageInsideTheFinishingChoiceCounts() {
        feed("{\"choices\":[{\"delta\":{\"content\":\"hi\"}}]}");
        feed("{\"choices\":[{\"delta\":{},\"finish_reason\":\"stop\",\"usage\":{\"prompt_tokens\":30,"
                + "\"completion_tokens\":3,\"cached_tokens\":10}}]}");
        assertThat(events.drain().toString())
                .contains("\"usage\":{\"input_tokens\":20,\"cache_creation_input_tokens\":0,"
                        + "\"cache_read_input_tokens\":10,\"output_tokens\":3}")
                .endsWith("event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n");
    }

    @Test
    void noFinishReasonMeansCutShort() {
        feed("{\"choices\":[{\"delta\":{\"content\":\"hel\"}}]}");
        assertThatThrownBy(translator::end)
                .isInstanceOf(ApiException.class)
                .hasMessageContaining("ended the stream before the message was complete");
    }
}
