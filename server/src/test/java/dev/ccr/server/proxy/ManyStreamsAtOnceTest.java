package dev.ccr.server.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ccr.server.testing.AnthropicSse;
import dev.ccr.server.testing.FakeUpstream;
import dev.ccr.server.testing.Http;
import dev.ccr.server.testing.RouterFixture;
import dev.ccr.server.testing.StreamCheck;
import io.vertx.core.http.HttpServerResponse;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Many streams open at once through one endpoint, as parallel Claude Code sessions and sub-agents make them: each
 * holds an upstream connection for as long as it lasts, so none may wait behind the others for a connection.
 */
class ManyStreamsAtOnceTest {
    private static final int STREAMS = 150;

    @Test
    void everyStreamReachesTheUpstreamWhileTheOthersAreStillOpen() throws Exception {
        List<String> frames = AnthropicSse.textAnswer("claude-test", 10, "Hel", "lo");
        List<HttpServerResponse> open = new CopyOnWriteArrayList<>();
        try (FakeUpstream upstream = FakeUpstream.start();
                RouterFixture router =
                        RouterFixture.start(RouterFixture.anthropicConfig(upstream.baseUrl(), "k-0123456789"))) {
            upstream.respond((request, response) -> {
                response.setChunked(true).putHeader("content-type", "text/event-stream");
                response.write(String.join("", frames.subList(0, 4)));
                open.add(response);
            });
            List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
            for (int i = 0; i < STREAMS; i++) {
                HttpRequest request = HttpRequest.newBuilder(URI.create(router.baseUrl() + "/v1/messages"))
                        .timeout(Duration.ofSeconds(60))
                        .header("content-type", "application/json")
                        .header("x-api-key", "client")
                        .POST(HttpRequest.BodyPublishers.ofString(
                                "{\"model\":\"claude-test\",\"stream\":true,\"max_tokens\":5,\"messages\":[]}"))
                        .build();
                answers.add(Http.client().sendAsync(request, HttpResponse.BodyHandlers.ofString()));
            }

            await().atMost(Duration.ofSeconds(30))
                    .untilAsserted(() ->
                            assertThat(open).as("streams open upstream at once").hasSize(STREAMS));
            upstream.vertx()
                    .runOnContext(v ->
                            open.forEach(response -> response.end(String.join("", frames.subList(4, frames.size())))));

            for (CompletableFuture<HttpResponse<String>> answer : answers) {
                HttpResponse<String> response = answer.get(30, TimeUnit.SECONDS);
                assertThat(response.statusCode()).isEqualTo(200);
                assertThat(StreamCheck.of(response.body()).outcome()).isEqualTo(StreamCheck.Outcome.COMPLETE);
            }
        }
    }
}
