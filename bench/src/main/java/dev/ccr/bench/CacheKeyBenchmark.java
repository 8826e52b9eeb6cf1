package dev.ccr.bench;

import dev.ccr.server.cache.CacheKey;
import dev.ccr.server.cache.CacheKeys;
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

/** The response cache's key: what every request pays while the cache is on, hit or miss. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class CacheKeyBenchmark {
    private static final String ROUTE = "anthropic,claude-sonnet-4-5;";

    private Buffer realistic;
    private Buffer small;

    @Setup
    public void setUp() {
        realistic = Bodies.realistic("claude-sonnet-4-5", true);
        small = Bodies.small("claude-sonnet-4-5", true);
    }

    @Benchmark
    public CacheKey keyOfRealistic100KbBody() {
        return CacheKeys.of(realistic, "local", ROUTE, null);
    }

    @Benchmark
    public CacheKey keyOfSmallBody() {
        return CacheKeys.of(small, "local", ROUTE, null);
    }
}
