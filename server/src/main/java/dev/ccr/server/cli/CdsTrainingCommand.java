package dev.ccr.server.cli;

import dev.ccr.server.config.ConfigLoader;
import dev.ccr.server.config.Overrides;
import dev.ccr.server.runtime.RouterRuntime;
import dev.ccr.server.upstream.EndpointCredentials;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.RequestOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;

/**
 * {@code ccr cds-training} (hidden): what the {@code ccr} launcher and the VS Code extension run once, in the
 * background, to record the classes a router loads from start to its first answers into an archive that later starts
 * map instead of loading, verifying and linking those classes again (docs/BENCHMARKS.md has the figures): with
 * {@code -XX:ArchiveClassesAtExit} a class-data sharing archive on Java 17 to 23, with {@code -XX:AOTMode=record} the
 * configuration of an ahead-of-time cache on Java 24 and newer (which also keeps linked classes, some heap objects
 * and, from Java 25, the method profiles of this run).
 *
 * <p>It does what a first start does, and nothing a user would see: it loads a config file, starts the router on a
 * free loopback port with its request log and usage database in a temporary directory, sends a plain and a streamed
 * request through it to a loopback stand-in for Anthropic, stops it and exits. No state file, no config watching, no
 * network beyond 127.0.0.1.
 */
@Command(
        name = "cds-training",
        hidden = true,
        description = "Run the router once against a loopback stand-in upstream (the launcher's class-data training).")
final class CdsTrainingCommand implements Callable<Integer> {
    /** However the run goes, it must not linger in the background. */
    private static final Duration LIMIT = Duration.ofSeconds(60);

    @Override
    public Integer call() throws Exception {
        Thread watchdog = new Thread(
                () -> {
                    try {
                        Thread.sleep(LIMIT.toMillis());
                        System.err.println("ccr cds-training: still running after " + LIMIT + "; giving up");
                        Runtime.getRuntime().halt(ExitCodes.FAILURE);
                    } catch (InterruptedException done) {
                        // finished in time
                    }
                },
                "ccr-cds-training-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();

        Path home = Files.createTempDirectory("ccr-cds-training");
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1));
        RouterRuntime runtime = null;
        try {
            HttpServer upstream = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1"))
                    .requestHandler(CdsTrainingCommand::answer)
                    .listen(0)
                    .await();
            Path file = home.resolve("config.json");
            Files.writeString(
                    file,
                    """
                    {"host": "127.0.0.1", "port": 0, "logLevel": "warn",
                     "endpoints": [{"name": "training", "type": "anthropic",
                                    "baseUrl": "http://127.0.0.1:%d/v1", "apiKey": "training"}]}"""
                            .formatted(upstream.actualPort()));
            ConfigLoader loader = ConfigLoader.fromSystemEnvironment();
            runtime = RouterRuntime.start(
                    loader.load(file, Overrides.NONE).config(),
                    new RouterRuntime.Options(
                            file,
                            Overrides.NONE,
                            loader,
                            false,
                            null,
                            "cds-training",
                            StartCommand.eventLoops(),
                            EndpointCredentials.CONFIG_ONLY,
                            home));
            HttpClientAgent client = vertx.createHttpClient();
            for (boolean stream : new boolean[] {false, true}) {
                send(client, runtime.port(), stream).await();
            }
            return ExitCodes.OK;
        } finally {
            if (runtime != null) {
                runtime.stop(Duration.ZERO);
            }
            vertx.close().await();
            deleteTree(home);
            watchdog.interrupt();
        }
    }

    private static Future<Void> send(HttpClientAgent client, int port, boolean stream) {
        String body = "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":16,\"stream\":" + stream
                + ",\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}]}";
        return client.request(new RequestOptions()
                        .setMethod(HttpMethod.POST)
                        .setHost("127.0.0.1")
                        .setPort(port)
                        .setURI("/v1/messages")
                        .putHeader("content-type", "application/json")
                        .putHeader("anthropic-version", "2023-06-01")
                        .putHeader("x-api-key", "training"))
                .compose(request -> request.send(Buffer.buffer(body)))
                .compose(response -> response.body()
                        .compose(answer -> response.statusCode() == 200
                                ? Future.<Void>succeededFuture()
                                : Future.failedFuture("the router answered " + response.statusCode() + ": " + answer)));
    }

    /** A minimal Anthropic Messages API: one short message, as JSON or as a stream. */
    private static void answer(HttpServerRequest request) {
        request.body().onSuccess(body -> {
            if (!body.toString().contains("\"stream\":true")) {
                request.response()
                        .putHeader("content-type", "application/json")
                        .end("{\"id\":\"msg_training\",\"type\":\"message\",\"role\":\"assistant\","
                                + "\"model\":\"claude-sonnet-4-5\",\"content\":[{\"type\":\"text\",\"text\":\"Hi\"}],"
                                + "\"stop_reason\":\"end_turn\",\"stop_sequence\":null,"
                                + "\"usage\":{\"input_tokens\":8,\"output_tokens\":2}}");
                return;
            }
            request.response()
                    .setChunked(true)
                    .putHeader("content-type", "text/event-stream")
                    .write("event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":"
                            + "\"msg_training\",\"type\":\"message\",\"role\":\"assistant\",\"model\":"
                            + "\"claude-sonnet-4-5\",\"content\":[],\"stop_reason\":null,\"stop_sequence\":null,"
                            + "\"usage\":{\"input_tokens\":8,\"output_tokens\":1}}}\n\n")
                    .compose(v -> request.response()
                            .write("event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,"
                                    + "\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n"
                                    + "event: ping\ndata: {\"type\":\"ping\"}\n\n"
                                    + "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,"
                                    + "\"delta\":{\"type\":\"text_delta\",\"text\":\"Hi\"}}\n\n"))
                    .compose(v -> request.response()
                            .end("event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n"
                                    + "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":"
                                    + "{\"stop_reason\":\"end_turn\",\"stop_sequence\":null},"
                                    + "\"usage\":{\"output_tokens\":2}}\n\n"
                                    + "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n"));
        });
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder())
                    .forEach(path -> path.toFile().delete());
        } catch (IOException ignored) {
            // a temporary directory; the system cleans it up eventually
        }
    }
}
