package dev.ccr.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ccr.server.config.ConfigLoader;
import dev.ccr.server.config.Endpoint;
import dev.ccr.server.config.Overrides;
import dev.ccr.server.config.Provider;
import dev.ccr.server.sse.SseParser;
import dev.ccr.server.tokens.TokenCounter;
import dev.ccr.server.translate.RequestTree;
import dev.ccr.server.translate.SseEvents;
import dev.ccr.server.translate.StreamTranslator;
import dev.ccr.server.translate.TranslationContext;
import dev.ccr.server.translate.gemini.GeminiRequestTranslator;
import dev.ccr.server.translate.gemini.GeminiStreamTranslator;
import dev.ccr.server.translate.openai.OpenAiRequestTranslator;
import dev.ccr.server.translate.openai.OpenAiStreamTranslator;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * What translation costs per request and per stream, single-threaded. The request benchmarks take the realistic
 * 100 KB Claude Code body ({@link Bodies#realistic}) and include parsing it into a tree, as the forwarder does; the
 * stream benchmarks feed a whole 2,000-chunk upstream stream in network-sized pieces through the SSE parser and the
 * translator and collect the Anthropic frames. (The routing scan is in {@link RoutingBenchmark}.)
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class TranslationBenchmark {
    /** Bytes per network read in the stream benchmarks; a typical TCP segment's payload. */
    private static final int READ = 1_400;

    private byte[] request;
    private Buffer requestBuffer;
    private byte[] openAiStream;
    private byte[] geminiStream;
    private Endpoint openAiEndpoint;
    private Endpoint geminiEndpoint;

    @Setup
    public void setUp() throws Exception {
        requestBuffer = Bodies.realistic("claude-sonnet-5", true);
        request = requestBuffer.getBytes();
        openAiStream = UpstreamStreams.openAiStream();
        geminiStream = UpstreamStreams.geminiStream();
        List<Endpoint> endpoints = new ConfigLoader(name -> null)
                .parse(
                        ("{\"endpoints\":[{\"name\":\"o\",\"type\":\"openai\",\"baseUrl\":\"http://127.0.0.1:1/v1\"},"
                                        + "{\"name\":\"g\",\"type\":\"gemini\",\"baseUrl\":\"http://127.0.0.1:1/v1\"}]}")
                                .getBytes(StandardCharsets.UTF_8),
                        Path.of("bench.json"),
                        Overrides.NONE)
                .config()
                .endpoints();
        openAiEndpoint = endpoints.get(0);
        geminiEndpoint = endpoints.get(1);
        System.err.printf(
                "%nrequest %,d bytes; OpenAI stream %,d bytes; Gemini stream %,d bytes%n",
                request.length, openAiStream.length, geminiStream.length);
    }

    /** The floor under both request translations: reading the client's bytes into a tree, as the forwarder does. */
    @Benchmark
    public JsonNode parseOnly() {
        return RequestTree.parse(request);
    }

    @Benchmark
    public Buffer requestToOpenAi() {
        JsonNode tree = RequestTree.parse(request);
        return OpenAiRequestTranslator.translate(tree, "glm-4.6", true, Provider.GLM.preset());
    }

    @Benchmark
    public Buffer requestToGemini() {
        JsonNode tree = RequestTree.parse(request);
        return GeminiRequestTranslator.translate(tree, Provider.GEMINI.preset());
    }

    @Benchmark
    public long countTokens() {
        return TokenCounter.count(RequestTree.parse(request));
    }

    @Benchmark
    public long streamFromOpenAi() {
        SseEvents events = new SseEvents();
        return feed(openAiStream, new OpenAiStreamTranslator(events, context(openAiEndpoint), true), events);
    }

    @Benchmark
    public long streamFromGemini() {
        SseEvents events = new SseEvents();
        return feed(geminiStream, new GeminiStreamTranslator(events, context(geminiEndpoint)), events);
    }

    private static TranslationContext context(Endpoint endpoint) {
        return new TranslationContext(endpoint, "m", "msg_bench", 25_000, List.of());
    }

    private static long feed(byte[] stream, StreamTranslator translator, SseEvents events) {
        SseParser parser = new SseParser(translator::accept);
        long written = 0;
        for (int offset = 0; offset < stream.length; offset += READ) {
            parser.feed(Buffer.buffer().appendBytes(stream, offset, Math.min(READ, stream.length - offset)));
            written += events.drain().length();
        }
        translator.end();
        return written + events.drain().length();
    }
}
