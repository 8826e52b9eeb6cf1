package dev.ccr.server.testing;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real upstream on 127.0.0.1 that answers with a complete event stream (Anthropic or OpenAI format) or breaks it on
 * purpose: it can close the connection unanswered, stall, reset, send a malformed frame or an error event, or end
 * early, at any position of the stream, or answer with an error status. It counts the exchanges still open, so tests
 * can check that the router let go of every one.
 */
public final class FaultyUpstream implements AutoCloseable {
    /** What goes wrong. */
    public enum Fault {
        /** Nothing: the whole answer. */
        NONE,
        /** The connection is closed before any answer. */
        CLOSE,
        /** The answer stops coming, without an end; before any frame, not even the status is sent. */
        STALL,
        /** The connection is reset. */
        RESET,
        /** A frame whose data is cut off mid-JSON, then the end. */
        MALFORMED,
        /** An error event, then the end. */
        ERROR_EVENT,
        /** The end, without the answer's last frames. */
        END,
        /** An error status with a body in the format's error shape, and retry-after. */
        STATUS
    }

    /** The text of the complete answer, in either format. */
    public static final String TEXT = "Hello";

    /** The two shapes of stream the router handles: passed through, and translated. */
    public enum Format {
        ANTHROPIC,
        OPENAI
    }

    /**
     * One answer's script.
     *
     * @param position how many frames of the complete answer go out before the fault
     * @param status for {@link Fault#STATUS}: the status
     */
    public record Plan(Fault fault, int position, int status) {
        public static final Plan HEALTHY = new Plan(Fault.NONE, 0, 200);

        public static Plan at(Fault fault, int position) {
            return new Plan(fault, position, 200);
        }

        public static Plan status(int status) {
            return new Plan(Fault.STATUS, 0, status);
        }
    }

    private final HttpServer server;
    private final Format format;
    private final ConcurrentLinkedDeque<Plan> next = new ConcurrentLinkedDeque<>();
    private volatile Plan always = Plan.HEALTHY;
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger open = new AtomicInteger();

    public FaultyUpstream(Vertx vertx, Format format) {
        this.format = format;
        this.server = vertx.createHttpServer(
                        new HttpServerOptions().setHost("127.0.0.1").setPort(0))
                .requestHandler(this::handle);
        server.listen().await();
    }

    /** The frames of the complete answer, each as it goes on the wire. */
    public List<String> frames() {
        return format == Format.ANTHROPIC
                ? AnthropicSse.textAnswer("claude-test", 10, "Hel", "lo")
                : List.of(
                        chunk("{\"role\":\"assistant\",\"content\":\"\"}", null),
                        chunk("{\"content\":\"Hel\"}", null),
                        chunk("{\"content\":\"lo\"}", null),
                        chunk("{}", "\"stop\""),
                        "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"choices\":[],"
                                + "\"usage\":{\"prompt_tokens\":10,\"completion_tokens\":2,\"total_tokens\":12}}\n\n",
                        "data: [DONE]\n\n");
    }

    /** How many frames precede the first one that carries content. */
    public int contentStarts() {
        return 1;
    }

    private static String chunk(String delta, String finish) {
        return "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":" + delta
                + ",\"finish_reason\":" + finish + "}]}\n\n";
    }

    /** Scripts the next answers, in order; after them, {@link #always}. */
    public FaultyUpstream then(Plan... plans) {
        next.addAll(List.of(plans));
        return this;
    }

    /** Scripts every answer not scripted by {@link #then}. */
    public FaultyUpstream always(Plan plan) {
        this.always = plan;
        return this;
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.actualPort() + "/v1";
    }

    public int requests() {
        return requests.get();
    }

    /** Exchanges whose answer neither ended nor had its connection closed: the router still holds them. */
    public int openExchanges() {
        return open.get();
    }

    private void handle(HttpServerRequest request) {
        requests.incrementAndGet();
        open.incrementAndGet();
        AtomicBoolean closed = new AtomicBoolean();
        Runnable done = () -> {
            if (closed.compareAndSet(false, true)) {
                open.decrementAndGet();
            }
        };
        HttpServerResponse response = request.response();
        response.endHandler(v -> done.run());
        response.closeHandler(v -> done.run());
        request.connection().closeHandler(v -> done.run());
        request.body()
                .onSuccess(body -> answer(request, response, body.toString().contains("\"stream\":true")));
    }

    /** The whole answer, for a request that did not ask for a stream. */
    public String message() {
        return format == Format.ANTHROPIC
                ? "{\"id\":\"msg_test\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-test\","
                        + "\"content\":[{\"type\":\"text\",\"text\":\"Hello\"}],\"stop_reason\":\"end_turn\","
                        + "\"stop_sequence\":null,\"usage\":{\"input_tokens\":10,\"output_tokens\":2}}"
                : "{\"id\":\"c\",\"object\":\"chat.completion\",\"choices\":[{\"index\":0,\"message\":"
                        + "{\"role\":\"assistant\",\"content\":\"Hello\"},\"finish_reason\":\"stop\"}],"
                        + "\"usage\":{\"prompt_tokens\":10,\"completion_tokens\":2,\"total_tokens\":12}}";
    }

    private void answer(HttpServerRequest request, HttpServerResponse response, boolean stream) {
        Plan plan = next.poll();
        if (plan == null) {
            plan = always;
        }
        if (!stream && plan.fault() != Fault.CLOSE && plan.fault() != Fault.STATUS) {
            answerWhole(response, plan);
            return;
        }
        switch (plan.fault()) {
            case CLOSE -> {
                request.connection().close();
                return;
            }
            case STATUS -> {
                response.setStatusCode(plan.status())
                        .putHeader("content-type", "application/json")
                        .putHeader("retry-after", "0")
                        .end(errorBody(plan.status()));
                return;
            }
            case STALL -> {
                if (plan.position() == 0) {
                    return; // not even the status
                }
            }
            default -> {}
        }
        response.setChunked(true).putHeader("content-type", "text/event-stream");
        List<String> frames = frames();
        int upTo = plan.fault() == Fault.NONE ? frames.size() : Math.min(plan.position(), frames.size());
        response.writeHead();
        for (int i = 0; i < upTo; i++) {
            response.write(frames.get(i));
        }
        switch (plan.fault()) {
            case NONE -> response.end();
            case STALL -> {}
            case RESET -> response.reset();
            case MALFORMED ->
                response.end(
                        format == Format.ANTHROPIC
                                ? "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"ind\n\n"
                                : "data: {\"id\":\"c\",\"choices\":[{\"delta\n\n");
            case ERROR_EVENT ->
                response.end(
                        format == Format.ANTHROPIC
                                ? "event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\","
                                        + "\"message\":\"Overloaded\"}}\n\n"
                                : "data: {\"error\":{\"message\":\"Rate limit reached\",\"type\":\"rate_limit_exceeded\","
                                        + "\"code\":\"rate_limit_exceeded\"}}\n\n");
            case END -> response.end();
            default -> throw new IllegalStateException(plan.toString());
        }
    }

    /** A whole answer, or its first half and then the fault. */
    private void answerWhole(HttpServerResponse response, Plan plan) {
        String message = message();
        String half = message.substring(0, message.length() / 2);
        switch (plan.fault()) {
            case NONE -> response.putHeader("content-type", "application/json").end(message);
            case STALL -> {}
            case RESET -> {
                response.setChunked(true)
                        .putHeader("content-type", "application/json")
                        .write(half);
                response.reset();
            }
            default -> response.putHeader("content-type", "application/json").end(half);
        }
    }

    private String errorBody(int status) {
        String type =
                switch (status) {
                    case 429 -> "rate_limit_error";
                    case 529 -> "overloaded_error";
                    default -> "api_error";
                };
        return format == Format.ANTHROPIC
                ? "{\"type\":\"error\",\"error\":{\"type\":\"" + type + "\",\"message\":\"scripted " + status + "\"}}"
                : "{\"error\":{\"message\":\"scripted " + status + "\",\"type\":\"" + type + "\"}}";
    }

    @Override
    public void close() {
        server.close().await();
    }
}
