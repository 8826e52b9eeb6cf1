package dev.ccr.bench;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

/**
 * A mock LLM API on 127.0.0.1 answering in Anthropic, OpenAI or Gemini format (by path), with a configurable time to
 * first byte, number of streamed chunks and spacing between them. It reads each request body whole, as a real API
 * does, and answers with canned bytes, so it costs as little as possible and the measurements are about the router.
 */
final class MockUpstream implements AutoCloseable {
    /** How the mock answers: time to first byte, chunk count and spacing for streams. */
    record Profile(long ttfbMillis, int chunks, long spacingMillis) {
        static final Profile FAST = new Profile(0, 20, 0);
    }

    private final Vertx vertx;
    private final HttpServer server;
    private volatile Profile profile = Profile.FAST;

    MockUpstream(Vertx vertx) {
        this.vertx = vertx;
        this.server = vertx.createHttpServer(
                        new HttpServerOptions().setHost("127.0.0.1").setPort(0).setTcpNoDelay(true))
                .requestHandler(this::handle);
        server.listen().await();
    }

    /**
     * Serves a few hundred requests of each kind directly, so that the router's first request, timed as part of its
     * start-up, does not also pay for the mock's own class loading and interpretation.
     */
    void warmUp(LoadGenerator load) {
        Profile previous = profile;
        profile = Profile.FAST;
        for (boolean stream : new boolean[] {false, true}) {
            load.run(baseUrl() + "/messages", Bodies.small("claude-sonnet-4-5", stream), 300, 2, 10_000);
        }
        profile = previous;
    }

    void profile(Profile profile) {
        this.profile = profile;
    }

    int port() {
        return server.actualPort();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + port() + "/v1";
    }

    private void handle(HttpServerRequest request) {
        request.body().onSuccess(body -> {
            Profile p = profile;
            String path = request.path();
            Format format = path.endsWith("/chat/completions")
                    ? Format.OPENAI
                    : path.contains(":generateContent") || path.contains(":streamGenerateContent")
                            ? Format.GEMINI
                            : Format.ANTHROPIC;
            boolean stream = format == Format.GEMINI
                    ? path.contains(":streamGenerateContent")
                    : body.toString().contains("\"stream\":true")
                            || body.toString().contains("\"stream\": true");
            HttpServerResponse response = request.response();
            if (p.ttfbMillis() > 0) {
                vertx.setTimer(p.ttfbMillis(), id -> answer(response, format, stream, p));
            } else {
                answer(response, format, stream, p);
            }
        });
    }

    private void answer(HttpServerResponse response, Format format, boolean stream, Profile p) {
        if (!stream) {
            response.putHeader("content-type", "application/json").end(format.message);
            return;
        }
        response.setChunked(true).putHeader("content-type", "text/event-stream");
        response.write(format.start);
        sendChunks(response, format, p, p.chunks());
    }

    private void sendChunks(HttpServerResponse response, Format format, Profile p, int remaining) {
        if (response.closed()) {
            return;
        }
        if (remaining == 0) {
            response.end(format.end);
            return;
        }
        response.write(format.chunk);
        if (p.spacingMillis() > 0) {
            vertx.setTimer(p.spacingMillis(), id -> sendChunks(response, format, p, remaining - 1));
        } else {
            sendChunks(response, format, p, remaining - 1);
        }
    }

    @Override
    public void close() {
        server.close().await();
    }

    /** Canned answers per wire format. */
    enum Format {
        ANTHROPIC(
                "{\"id\":\"msg_bench\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-sonnet-4-5\","
                        + "\"content\":[{\"type\":\"text\",\"text\":\"Hello from the mock.\"}],\"stop_reason\":\"end_turn\","
                        + "\"stop_sequence\":null,\"usage\":{\"input_tokens\":1200,\"output_tokens\":20}}",
                "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_bench\",\"type\":"
                        + "\"message\",\"role\":\"assistant\",\"model\":\"claude-sonnet-4-5\",\"content\":[],"
                        + "\"stop_reason\":null,\"stop_sequence\":null,\"usage\":{\"input_tokens\":1200,"
                        + "\"output_tokens\":1}}}\n\nevent: content_block_start\ndata: {\"type\":"
                        + "\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n",
                "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":"
                        + "\"text_delta\",\"text\":\"token \"}}\n\n",
                "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\nevent: message_delta\n"
                        + "data: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\",\"stop_sequence\":"
                        + "null},\"usage\":{\"output_tokens\":20}}\n\nevent: message_stop\ndata: {\"type\":"
                        + "\"message_stop\"}\n\n"),
        OPENAI(
                "{\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion\",\"created\":1,\"model\":\"gpt-bench\","
                        + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"Hello from the"
                        + " mock.\"},\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":1200,"
                        + "\"completion_tokens\":20,\"total_tokens\":1220}}",
                "data: {\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":"
                        + "\"gpt-bench\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},"
                        + "\"finish_reason\":null}]}\n\n",
                "data: {\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":"
                        + "\"gpt-bench\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"token \"},"
                        + "\"finish_reason\":null}]}\n\n",
                "data: {\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":"
                        + "\"gpt-bench\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n"
                        + "data: {\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion.chunk\",\"created\":1,"
                        + "\"model\":\"gpt-bench\",\"choices\":[],\"usage\":{\"prompt_tokens\":1200,"
                        + "\"completion_tokens\":20,\"total_tokens\":1220}}\n\ndata: [DONE]\n\n"),
        GEMINI(
                "{\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":[{\"text\":\"Hello from the mock.\"}]},"
                        + "\"finishReason\":\"STOP\",\"index\":0}],\"usageMetadata\":{\"promptTokenCount\":1200,"
                        + "\"candidatesTokenCount\":20,\"totalTokenCount\":1220},\"modelVersion\":\"gemini-bench\"}",
                "",
                "data: {\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":[{\"text\":\"token \"}]},\"index\":0}],"
                        + "\"modelVersion\":\"gemini-bench\"}\r\n\r\n",
                "data: {\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":[{\"text\":\"\"}]},\"finishReason\":"
                        + "\"STOP\",\"index\":0}],\"usageMetadata\":{\"promptTokenCount\":1200,\"candidatesTokenCount\":"
                        + "20,\"totalTokenCount\":1220},\"modelVersion\":\"gemini-bench\"}\r\n\r\n");

        final Buffer message;
        final Buffer start;
        final Buffer chunk;
        final Buffer end;

        Format(String message, String start, String chunk, String end) {
            this.message = Buffer.buffer(message);
            this.start = Buffer.buffer(start);
            this.chunk = Buffer.buffer(chunk);
            this.end = Buffer.buffer(end);
        }
    }
}
