package dev.ccr.server.testing;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * A fake Anthropic Messages API that plays a scripted timeline of faults, one step per {@code /v1/messages} call (the
 * last step repeats), the same way whether a client calls it directly or through the router, so the two can be
 * compared. Other requests ({@code count_tokens}, Claude Code's {@code HEAD} at start) are answered at once and not
 * counted.
 *
 * <p>A healthy step answers as the real API does: a stream when the request asks for one, else a whole message.
 */
public final class FaultTimeline implements BiConsumer<RecordedRequest, HttpServerResponse> {
    /** The text of a healthy answer. */
    public static final String TEXT = "Hello from the timeline.";

    /** What one call gets. */
    public sealed interface Step {}

    /** A healthy answer, after {@code delayMs} of silence before the status line. */
    public record Healthy(long delayMs) implements Step {}

    /** An Anthropic error with this status and type; {@code retryAfter} in seconds, or {@code null} for none. */
    public record Status(int status, String type, String retryAfter) implements Step {}

    /** Never answers (the client or router has to give up). */
    public record Hang() implements Step {}

    /** A stream cut off after its first text: the connection closes mid-answer (a whole answer: mid-body). */
    public record Cut() implements Step {}

    /** A stream that starts, then ends with {@code event: error} of this type (a whole answer: the error status). */
    public record ErrorEvent(String type) implements Step {}

    public static final Step OK = new Healthy(0);

    public static Step status(int status, String type) {
        return new Status(status, type, null);
    }

    private final Vertx vertx;
    private final List<Step> steps;
    private final List<Long> callTimes = new ArrayList<>();
    private int next;

    /** @param vertx the fake upstream's, for its timers */
    public FaultTimeline(Vertx vertx, List<Step> steps) {
        this.vertx = vertx;
        if (steps.isEmpty()) {
            throw new IllegalArgumentException("a timeline has at least one step");
        }
        this.steps = List.copyOf(steps);
    }

    /** Then the same steps again from the start, and the call times forgotten: a fresh run of the same timeline. */
    public synchronized void rewind() {
        next = 0;
        callTimes.clear();
    }

    /** Goes on where it is, but counts calls (and the first call's time) from here: for one run of several. */
    public synchronized void forgetCalls() {
        callTimes.clear();
    }

    /** How many {@code /v1/messages} calls arrived since the last rewind (or {@link #forgetCalls}). */
    public synchronized int calls() {
        return callTimes.size();
    }

    /** When the latest call arrived (epoch milliseconds), or -1. */
    public synchronized long lastCallAt() {
        return callTimes.isEmpty() ? -1 : callTimes.get(callTimes.size() - 1);
    }

    /** When the first call of this run arrived (epoch milliseconds), or -1. */
    public synchronized long firstCallAt() {
        return callTimes.isEmpty() ? -1 : callTimes.get(0);
    }

    @Override
    public void accept(RecordedRequest request, HttpServerResponse response) {
        if (!request.method().equals("POST") || !request.path().endsWith("/messages")) {
            response.putHeader("content-type", "application/json").end("{\"input_tokens\":12}");
            return;
        }
        Step step;
        synchronized (this) {
            callTimes.add(System.currentTimeMillis());
            step = steps.get(Math.min(next, steps.size() - 1));
            next++;
        }
        boolean stream = request.bodyText().contains("\"stream\":true");
        String requestId = "req_timeline_" + calls();
        response.putHeader("request-id", requestId);
        if (step instanceof Healthy healthy) {
            if (healthy.delayMs() > 0) {
                vertx.setTimer(healthy.delayMs(), id -> healthy(response, stream, false));
            } else {
                healthy(response, stream, false);
            }
        } else if (step instanceof Status status) {
            error(response, status);
        } else if (step instanceof Cut) {
            healthy(response, stream, true);
        } else if (step instanceof ErrorEvent event) {
            if (stream) {
                startStream(response);
                response.end(AnthropicSse.frame(
                        "error",
                        "{\"type\":\"error\",\"error\":{\"type\":\"" + event.type()
                                + "\",\"message\":\"timeline error event\"}}"));
            } else {
                error(response, new Status(event.type().equals("overloaded_error") ? 529 : 500, event.type(), null));
            }
        }
        // Hang: never answer.
    }

    private static void error(HttpServerResponse response, Status status) {
        response.setStatusCode(status.status()).putHeader("content-type", "application/json");
        if (status.retryAfter() != null) {
            response.putHeader("retry-after", status.retryAfter());
        }
        response.end("{\"type\":\"error\",\"error\":{\"type\":\"" + status.type() + "\",\"message\":\"timeline "
                + status.status() + "\"}}");
    }

    private static void startStream(HttpServerResponse response) {
        response.setChunked(true).putHeader("content-type", "text/event-stream");
        List<String> frames = AnthropicSse.textAnswer("claude-timeline", 12, "Hello ");
        response.write(frames.get(0) + frames.get(1) + frames.get(3));
    }

    private void healthy(HttpServerResponse response, boolean stream, boolean cut) {
        if (response.closed()) {
            return;
        }
        if (stream) {
            if (cut) {
                startStream(response);
                vertx.setTimer(50, id -> response.reset());
                return;
            }
            response.setChunked(true).putHeader("content-type", "text/event-stream");
            response.end(
                    String.join("", AnthropicSse.textAnswer("claude-timeline", 12, "Hello ", "from the timeline.")));
            return;
        }
        String message = "{\"id\":\"msg_timeline\",\"type\":\"message\",\"role\":\"assistant\","
                + "\"model\":\"claude-timeline\",\"content\":[{\"type\":\"text\",\"text\":\"" + TEXT + "\"}],"
                + "\"stop_reason\":\"end_turn\",\"stop_sequence\":null,\"usage\":{\"input_tokens\":12,\"output_tokens\":5}}";
        response.putHeader("content-type", "application/json");
        if (cut) {
            response.putHeader("content-length", Integer.toString(message.length()));
            response.write(message.substring(0, message.length() / 2));
            vertx.setTimer(50, id -> response.reset());
            return;
        }
        response.end(message);
    }
}
