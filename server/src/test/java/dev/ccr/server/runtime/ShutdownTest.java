package dev.ccr.server.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ccr.server.json.Json;
import dev.ccr.server.testing.AnthropicSse;
import dev.ccr.server.testing.FakeUpstream;
import dev.ccr.server.testing.Http;
import dev.ccr.server.testing.Loopback;
import dev.ccr.server.testing.RouterFixture;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A router that stops ends what it cannot finish in its drain time with a last word: a stream gets its {@code event:
 * error} frame (so it never looks complete), a request still waiting gets an error answer, never a bare closed
 * connection; and the endpoint is not blamed for it.
 */
class ShutdownTest {
    @RegisterExtension
    final Loopback loopback = new Loopback();

    private static HttpRequest messages(RouterFixture router, boolean stream) {
        return HttpRequest.newBuilder(URI.create(router.baseUrl() + "/v1/messages"))
                .header("content-type", "application/json")
                .header("x-api-key", "client-key")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"model\":\"m\",\"max_tokens\":5,\"stream\":" + stream + ",\"messages\":[]}"))
                .build();
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void aStreamStillRunningWhenTheDrainTimeEndsGetsAnErrorEventAndAWaitingRequestAnErrorAnswer() throws Exception {
        List<String> frames = AnthropicSse.textAnswer("m", 10, "Hel", "lo");
        FakeUpstream upstream = loopback.upstream();
        upstream.respond((request, response) -> {
            if (request.body().toString().contains("\"stream\":true")) {
                // Starts the answer, then never finishes it on its own.
                response.setChunked(true).putHeader("content-type", "text/event-stream");
                response.write(frames.get(0) + frames.get(1) + frames.get(2));
            }
            // A whole answer that never comes: the request waits for its first byte.
        });
        // A breaker that opens at the first failure counted against the endpoint: ending requests at shutdown is the
        // router's doing, not the endpoint's, and must not count.
        RouterFixture router = loopback.router(
                """
                {
                  "endpoints": [{ "name": "anthropic", "type": "anthropic", "baseUrl": "%s", "apiKey": "k-123456" }],
                  "breaker": {"consecutiveFailures": 1, "coolDownMs": 60000}
                }
                """
                        .formatted(upstream.baseUrl()));

        HttpResponse<InputStream> stream =
                Http.client().send(messages(router, true), HttpResponse.BodyHandlers.ofInputStream());
        InputStream body = stream.body();
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        byte[] chunk = new byte[4096];
        while (!received.toString(StandardCharsets.UTF_8).contains("content_block_start")) {
            int n = body.read(chunk);
            assertThat(n).as("the stream started before the router stopped").isPositive();
            received.write(chunk, 0, n);
        }
        CompletableFuture<HttpResponse<String>> waiting =
                Http.client().sendAsync(messages(router, false), HttpResponse.BodyHandlers.ofString());
        org.awaitility.Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .until(() -> upstream.requests().size() == 2);

        CompletableFuture<Void> stopped =
                CompletableFuture.runAsync(() -> router.runtime().stop(Duration.ofMillis(1_000)));
        received.write(body.readAllBytes());
        stopped.get(15, TimeUnit.SECONDS);

        String text = received.toString(StandardCharsets.UTF_8);
        assertThat(text).as("the cut stream says it is incomplete").contains("event: error");
        assertThat(text).contains("shutting down").doesNotContain("message_stop");
        HttpResponse<String> answer = waiting.get(15, TimeUnit.SECONDS);
        assertThat(answer.statusCode()).isEqualTo(500);
        assertThat(Json.MAPPER
                        .readTree(answer.body())
                        .path("error")
                        .path("message")
                        .asText())
                .contains("shutting down");
    }
}
