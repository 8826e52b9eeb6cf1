package dev.ccr.bench;

import dev.ccr.server.sse.AnthropicStreamObserver;
import dev.ccr.server.sse.SseParser;
import dev.ccr.server.translate.SseEvents;
import io.vertx.core.buffer.Buffer;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/** SSE reading (what the passthrough relay does to every event) and writing, on a 2,000-event Anthropic stream. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class SseBenchmark {
    private static final int EVENTS = 2_000;
    private Buffer[] chunks;

    @Setup
    public void setUp() {
        MockUpstream.Format format = MockUpstream.Format.ANTHROPIC;
        chunks = new Buffer[EVENTS + 2];
        chunks[0] = format.start;
        for (int i = 1; i <= EVENTS; i++) {
            chunks[i] = format.chunk;
        }
        chunks[EVENTS + 1] = format.end;
    }

    @Benchmark
    public void parseAndObserve2000EventStream(Blackhole hole) {
        AnthropicStreamObserver observer = new AnthropicStreamObserver();
        SseParser parser = new SseParser(observer);
        for (Buffer chunk : chunks) {
            parser.feed(chunk);
        }
        hole.consume(observer.complete());
        hole.consume(parser.completedBytes());
    }

    /** What a translated stream costs the writer: one text delta frame per event, drained as the relay drains it. */
    @Benchmark
    public void write2000Frames(Blackhole hole) {
        SseEvents events = new SseEvents();
        for (int i = 0; i < EVENTS; i++) {
            events.textDelta(0, "token ");
            hole.consume(events.drain());
        }
    }
}
