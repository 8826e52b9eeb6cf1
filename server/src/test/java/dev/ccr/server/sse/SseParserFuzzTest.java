package dev.ccr.server.sse;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** The SSE parser, fuzzed: any bytes, cut anywhere, give the same events as in one piece, and never an exception. */
class SseParserFuzzTest {
    @FuzzTest(maxDuration = "5s")
    void piecesDoNotChangeTheEvents(FuzzedDataProvider data) {
        Random pieces = new Random(data.consumeLong());
        byte[] stream = data.consumeRemainingAsBytes();

        List<SseEvent> whole = new ArrayList<>();
        SseParser one = new SseParser(whole::add);
        one.feed(stream);

        List<SseEvent> cut = new ArrayList<>();
        SseParser many = new SseParser(cut::add);
        for (int at = 0; at < stream.length; ) {
            int length = Math.min(stream.length - at, 1 + pieces.nextInt(32));
            byte[] piece = new byte[length];
            System.arraycopy(stream, at, piece, 0, length);
            many.feed(piece);
            at += length;
        }

        assertThat(cut).isEqualTo(whole);
        assertThat(many.completedBytes()).isEqualTo(one.completedBytes()).isBetween(0L, (long) stream.length);
        assertThat(many.hasPartialEvent()).isEqualTo(one.hasPartialEvent());
    }
}
