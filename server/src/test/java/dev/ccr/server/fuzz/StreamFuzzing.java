package dev.ccr.server.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import dev.ccr.server.config.Endpoint;
import dev.ccr.server.error.ApiException;
import dev.ccr.server.error.ErrorResponses;
import dev.ccr.server.sse.SseParser;
import dev.ccr.server.testing.StreamCheck;
import dev.ccr.server.translate.Dialect;
import dev.ccr.server.translate.SseEvents;
import dev.ccr.server.translate.StreamTranslator;
import dev.ccr.server.translate.TranslationContext;
import io.vertx.core.buffer.Buffer;
import java.util.List;
import java.util.Random;

/**
 * Drives a stream translator as the forwarder does: upstream bytes through the SSE parser in pieces (their sizes come
 * from the input's last eight bytes), the translator's events to the client, an error frame when it throws. Whatever
 * arrives, the client's stream must be a valid Anthropic event sequence that either completes or ends with an error
 * event, and nothing but the documented {@link ApiException} may escape.
 */
public final class StreamFuzzing {
    private StreamFuzzing() {}

    public static void check(Dialect dialect, Endpoint endpoint, FuzzedDataProvider data) {
        Random pieces = new Random(data.consumeLong());
        byte[] stream = data.consumeRemainingAsBytes();
        SseEvents events = new SseEvents();
        StreamTranslator translator = dialect.streamTranslator(
                events, new TranslationContext(endpoint, "fuzz-model", "msg_fuzz", 12, List.of("STOP")));
        SseParser parser = new SseParser(translator::accept);
        Buffer client = Buffer.buffer();
        try {
            for (int at = 0; at < stream.length; ) {
                int length = Math.min(stream.length - at, 1 + pieces.nextInt(64));
                parser.feed(Buffer.buffer().appendBytes(stream, at, length));
                client.appendBuffer(events.drain());
                at += length;
            }
            translator.end();
            client.appendBuffer(events.drain());
        } catch (ApiException failure) {
            client.appendBuffer(events.drain());
            client.appendBuffer(SseEvents.errorFrame(
                    ErrorResponses.body(failure.type().wireName(), failure.getMessage(), "req_fuzz")));
            assertThat(StreamCheck.of(client.toString()).outcome()).isEqualTo(StreamCheck.Outcome.ERROR);
            return;
        }
        assertThat(StreamCheck.of(client.toString()).outcome())
                .as("a stream that ended without an error is complete")
                .isEqualTo(StreamCheck.Outcome.COMPLETE);
        assertThat(translator.usage()).isNotNull();
    }
}
