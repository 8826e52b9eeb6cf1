package dev.ccr.server.translate;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.ccr.server.error.ApiException;
import dev.ccr.server.error.ErrorResponses;
import dev.ccr.server.fuzz.FuzzEndpoints;
import dev.ccr.server.sse.SseParser;
import dev.ccr.server.testing.StreamCheck;
import dev.ccr.server.translate.gemini.GeminiDialect;
import dev.ccr.server.translate.openai.OpenAiDialect;
import io.vertx.core.buffer.Buffer;
import java.util.List;
import java.util.Random;

/**
 * The OpenAI and Gemini stream translators, fed as the forwarder feeds them (through the SSE parser, in pieces),
 * fuzzed from the golden upstream streams, valid and broken, cut at arbitrary points. Whatever arrives, the client's
 * stream is a valid Anthropic event sequence that either completes or ends with an error event, and nothing but the
 * documented {@link ApiException} escapes.
 */
class StreamTranslatorsFuzzTest {
    @FuzzTest(maxDuration = "5s")
    void openAiStreams(FuzzedDataProvider data) {
        boolean usage = data.consumeBoolean();
        var endpoint = FuzzEndpoints.OPENAI.get(usage ? 0 : 1);
        check(new OpenAiDialect(), endpoint, data);
    }

    @FuzzTest(maxDuration = "5s")
    void geminiStreams(FuzzedDataProvider data) {
        check(new GeminiDialect(), FuzzEndpoints.GEMINI, data);
    }

    private static void check(Dialect dialect, dev.ccr.server.config.Endpoint endpoint, FuzzedDataProvider data) {
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
            client.appendBuffer(ErrorResponses.sseFrame(failure.type().wireName(), failure.getMessage(), "req_fuzz"));
            assertThat(StreamCheck.of(client.toString()).outcome()).isEqualTo(StreamCheck.Outcome.ERROR);
            return;
        }
        assertThat(StreamCheck.of(client.toString()).outcome())
                .as("a stream that ended without an error is complete")
                .isEqualTo(StreamCheck.Outcome.COMPLETE);
        assertThat(translator.usage()).isNotNull();
    }
}
