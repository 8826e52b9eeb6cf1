package dev.ccr.bench;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * What team mode costs a request (docs/TEAM.md): the same router configuration with its limits and cache in memory
 * ("local") and in a Redis on loopback ("shared"), both running at once, measured in interleaved rounds. Two
 * configurations: client limits on every request (requests, tokens and concurrency counted, never reached), and the
 * same with the response cache on, where every request after the first is a hit of a ~100 KB Claude Code request (a
 * hit is answered before limits are checked: one cache lookup).
 */
final class TeamBench {
    record Options(Path launcher, Path redisServer, int requests, int rounds, long capMillis, Integer timeoutMs) {}

    private record Scenario(String name, Buffer body, int concurrency, int requests) {}

    private record Outcome(Scenario scenario, LoadGenerator.Result local, LoadGenerator.Result shared) {}

    private static final String LIMITS = "\"limits\": {\"default\": {\"requestsPerMinute\": 1000000000,"
            + " \"tokensPerMinute\": 2000000000, \"maxConcurrent\": 10000}}";

    private final Options options;

    TeamBench(Options options) {
        this.options = options;
    }

    String run() throws Exception {
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
        int redisPort = freePort();
        Path redisDir = Files.createTempDirectory("ccr-bench-redis");
        Process redis = new ProcessBuilder(List.of(
                        options.redisServer().toString(),
                        "--port",
                        String.valueOf(redisPort),
                        "--bind",
                        "127.0.0.1",
                        "--save",
                        "",
                        "--appendonly",
                        "no",
                        "--dir",
                        redisDir.toString()))
                .redirectErrorStream(true)
                .redirectOutput(redisDir.resolve("redis.log").toFile())
                .start();
        try (MockUpstream mock = new MockUpstream(vertx);
                LoadGenerator load = new LoadGenerator(vertx, 16)) {
            awaitPort(redisPort);
            mock.warmUp(load);
            String shared = ", \"shared\": {\"redis\": \"redis://127.0.0.1:" + redisPort + "\""
                    + (options.timeoutMs() == null ? "" : ", \"timeoutMs\": " + options.timeoutMs()) + "}";
            String cache = ", \"cache\": {\"enabled\": true}";
            List<Outcome> outcomes = new ArrayList<>();
            List<String> fallbacks = new ArrayList<>();
            int n = options.requests();
            outcomes.addAll(pair(
                    load,
                    mock,
                    config(mock, LIMITS),
                    config(mock, LIMITS + shared),
                    List.of(
                            new Scenario(
                                    "limits, non-stream, small body, c=1",
                                    Bodies.small("claude-sonnet-4-5", false),
                                    1,
                                    n),
                            new Scenario(
                                    "limits, stream (20 events), small body, c=1",
                                    Bodies.small("claude-sonnet-4-5", true),
                                    1,
                                    n),
                            new Scenario(
                                    "limits, non-stream, small body, c=8",
                                    Bodies.small("claude-sonnet-4-5", false),
                                    8,
                                    n * 2)),
                    fallbacks));
            outcomes.addAll(pair(
                    load,
                    mock,
                    config(mock, LIMITS + cache),
                    config(mock, LIMITS + cache + shared),
                    List.of(
                            new Scenario(
                                    "cache hit, stream, ~100 KB Claude Code body, c=1",
                                    Bodies.realistic("claude-sonnet-4-5", true),
                                    1,
                                    n / 2),
                            new Scenario(
                                    "cache hit, non-stream, ~100 KB Claude Code body, c=8",
                                    Bodies.realistic("claude-sonnet-4-5", false),
                                    8,
                                    n)),
                    fallbacks));
            return markdown(outcomes, fallbacks);
        } finally {
            redis.destroy();
            redis.waitFor(10, TimeUnit.SECONDS);
            vertx.close().await();
            try (var files = Files.walk(redisDir)) {
                files.sorted(java.util.Comparator.reverseOrder())
                        .forEach(file -> file.toFile().delete());
            }
        }
    }

    private static String config(MockUpstream mock, String extra) {
        return """
                {"endpoints": [{"name": "mock", "type": "anthropic", "baseUrl": "%s", "apiKey": "mock-key"}],
                 "logLevel": "warn", %s}
                """
                .formatted(mock.baseUrl(), extra);
    }

    /** Both routers at once; each scenario measured on both in interleaved rounds. */
    private List<Outcome> pair(
            LoadGenerator load,
            MockUpstream mock,
            String localConfig,
            String sharedConfig,
            List<Scenario> scenarios,
            List<String> fallbacks)
            throws Exception {
        List<Outcome> outcomes = new ArrayList<>();
        try (ChildServer local = RouterProcess.start(options.launcher(), localConfig);
                ChildServer shared = RouterProcess.start(options.launcher(), sharedConfig)) {
            awaitShared(shared);
            mock.profile(MockUpstream.Profile.FAST);
            for (Scenario scenario : scenarios) {
                load.run(local.baseUrl() + "/v1/messages", scenario.body(), 1_000, 4, options.capMillis());
                load.run(shared.baseUrl() + "/v1/messages", scenario.body(), 1_000, 4, options.capMillis());
            }
            for (Scenario scenario : scenarios) {
                int perRound = Math.max(1, scenario.requests() / options.rounds());
                LoadGenerator.Result viaLocal = null;
                LoadGenerator.Result viaShared = null;
                for (int round = 0; round < options.rounds(); round++) {
                    LoadGenerator.Result a;
                    LoadGenerator.Result b;
                    if (round % 2 == 0) {
                        a = run(load, local, scenario, perRound);
                        b = run(load, shared, scenario, perRound);
                    } else {
                        b = run(load, shared, scenario, perRound);
                        a = run(load, local, scenario, perRound);
                    }
                    viaLocal = plus(viaLocal, a);
                    viaShared = plus(viaShared, b);
                }
                outcomes.add(new Outcome(scenario, viaLocal, viaShared));
            }
            fallbacks.add(health(shared));
            local.terminate();
            shared.terminate();
        }
        return outcomes;
    }

    private LoadGenerator.Result run(LoadGenerator load, ChildServer router, Scenario scenario, int requests) {
        return load.run(
                router.baseUrl() + "/v1/messages",
                scenario.body(),
                requests,
                scenario.concurrency(),
                options.capMillis());
    }

    private static LoadGenerator.Result plus(LoadGenerator.Result sum, LoadGenerator.Result next) {
        if (sum == null) {
            return next;
        }
        Samples latency = new Samples();
        latency.addAll(sum.latency());
        latency.addAll(next.latency());
        Samples firstByte = new Samples();
        firstByte.addAll(sum.firstByte());
        firstByte.addAll(next.firstByte());
        return new LoadGenerator.Result(
                latency, firstByte, sum.errors() + next.errors(), sum.wallNanos() + next.wallNanos());
    }

    private static void awaitShared(ChildServer router) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!health(router).contains("\"state\":\"shared\"")) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the shared router did not reach Redis: " + health(router));
            }
            Thread.sleep(50);
        }
    }

    private static String health(ChildServer router) throws Exception {
        HttpClient client =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        return client.send(
                        HttpRequest.newBuilder(URI.create(router.baseUrl() + "/health"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
    }

    private String markdown(List<Outcome> outcomes, List<String> healths) {
        StringBuilder out = new StringBuilder();
        out.append("Machine: ")
                .append(Runtime.getRuntime().availableProcessors())
                .append(" cores, harness on Java ")
                .append(System.getProperty("java.version"))
                .append(". Rounds per scenario: ")
                .append(options.rounds())
                .append(", interleaved local/shared; Redis on loopback; shared.timeoutMs ")
                .append(options.timeoutMs() == null ? "default" : options.timeoutMs())
                .append(".\n\n");
        out.append("| scenario | state | requests | errors | p50 ms | p90 ms | p99 ms | first byte p50 ms | req/s |\n");
        out.append("|---|---|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Outcome outcome : outcomes) {
            row(out, outcome.scenario().name(), "local", outcome.local());
            row(out, "", "shared (Redis)", outcome.shared());
        }
        out.append("\n| scenario | added p50 ms | added p90 ms | added p99 ms | throughput shared/local |\n");
        out.append("|---|---:|---:|---:|---:|\n");
        for (Outcome outcome : outcomes) {
            LoadGenerator.Result l = outcome.local();
            LoadGenerator.Result s = outcome.shared();
            out.append("| ")
                    .append(outcome.scenario().name())
                    .append(" | ")
                    .append(f(s.latency().percentileMillis(50) - l.latency().percentileMillis(50)))
                    .append(" | ")
                    .append(f(s.latency().percentileMillis(90) - l.latency().percentileMillis(90)))
                    .append(" | ")
                    .append(f(s.latency().percentileMillis(99) - l.latency().percentileMillis(99)))
                    .append(" | ")
                    .append(String.format(
                            Locale.ROOT, "%.0f %%", 100 * s.throughputPerSecond() / l.throughputPerSecond()))
                    .append(" |\n");
        }
        out.append("\nThe shared routers' /health after each configuration (fallbacks: calls answered locally because"
                + " Redis was slow or away):\n\n");
        for (String health : healths) {
            out.append("    ").append(health.strip()).append('\n');
        }
        return out.toString();
    }

    private static void row(StringBuilder out, String scenario, String state, LoadGenerator.Result r) {
        out.append("| ")
                .append(scenario)
                .append(" | ")
                .append(state)
                .append(" | ")
                .append(r.latency().count())
                .append(" | ")
                .append(r.errors())
                .append(" | ")
                .append(f(r.latency().percentileMillis(50)))
                .append(" | ")
                .append(f(r.latency().percentileMillis(90)))
                .append(" | ")
                .append(f(r.latency().percentileMillis(99)))
                .append(" | ")
                .append(f(r.firstByte().percentileMillis(50)))
                .append(" | ")
                .append(String.format(Locale.ROOT, "%.0f", r.throughputPerSecond()))
                .append(" |\n");
    }

    private static String f(double value) {
        return String.format(Locale.ROOT, "%.3f", value);
    }

    private static void awaitPort(int port) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            try (Socket ignored = new Socket(InetAddress.getLoopbackAddress(), port)) {
                return;
            } catch (IOException notYet) {
                Thread.sleep(20);
            }
        }
        throw new IllegalStateException("redis-server did not listen on " + port);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
