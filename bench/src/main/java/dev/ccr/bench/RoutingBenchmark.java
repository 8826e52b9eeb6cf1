package dev.ccr.bench;

import dev.ccr.server.config.ConfigLoader;
import dev.ccr.server.config.EffectiveConfig;
import dev.ccr.server.config.Overrides;
import dev.ccr.server.routing.MessagesRequest;
import dev.ccr.server.routing.Route;
import dev.ccr.server.routing.RouteResolver;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
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

/** The per-request routing work: reading what routing needs from a body, deciding the target, swapping the model. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class RoutingBenchmark {
    private Buffer realistic;
    private Buffer small;
    private EffectiveConfig config;
    private RouteResolver resolver;
    private MessagesRequest parsed;

    @Setup
    public void setUp() throws Exception {
        realistic = Bodies.realistic("claude-sonnet-4-5", true);
        small = Bodies.small("claude-sonnet-4-5", true);
        config = new ConfigLoader(Map.<String, String>of()::get)
                .parse(
                        """
                        {"endpoints": [
                          {"name": "anthropic", "type": "anthropic", "baseUrl": "https://api.anthropic.com/v1"},
                          {"name": "glm", "type": "openai", "baseUrl": "https://glm.example/v4", "apiKey": "k",
                           "modelMap": {"claude-haiku-*": "glm-4.5-air", "claude-*": "glm-4.6"}}
                        ], "defaultEndpoint": "glm"}"""
                                .getBytes(StandardCharsets.UTF_8),
                        Path.of("bench.json"),
                        Overrides.NONE)
                .config();
        resolver = new RouteResolver();
        parsed = MessagesRequest.parse(realistic);
    }

    @Benchmark
    public MessagesRequest parseRealistic100KbBody() {
        return MessagesRequest.parse(realistic);
    }

    @Benchmark
    public MessagesRequest parseSmallBody() {
        return MessagesRequest.parse(small);
    }

    @Benchmark
    public Route resolveTarget() {
        return resolver.resolve(parsed, header -> null, config);
    }

    @Benchmark
    public Buffer swapModelInRealisticBody() {
        return parsed.withModel("claude-opus-4-1");
    }
}
