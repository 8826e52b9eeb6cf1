package dev.ccr.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ccr.server.testing.FakeUpstream;
import dev.ccr.server.testing.Http;
import dev.ccr.server.testing.RouterFixture;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * A translated upstream that thinks silently for longer than the keep-alive interval (a reasoning model that streams
 * no reasoning): the client must see the stream start and {@code ping}s meanwhile, so Claude Code's idle watchdog never
 * fires, and then the answer. Slow by nature (the interval is 15 s), hence an IT.
 */
class SlowUpstreamIT {
    @Test
    void pingsWhileTheUpstreamIsSilent() throws Exception {
        CompletableFuture<Void> clientSawPing = new CompletableFuture<>();
        try (FakeUpstream upstream = FakeUpstream.start();
                RouterFixture router = RouterFixture.start(
                        """
                        {"endpoints": [{"name": "slow", "type": "openai", "baseUrl": "%s", "apiKey": "k"}]}
                        """
                                .formatted(upstream.baseUrl()))) {
            // The upstream stays silent until the client has had a ping: no timing guess, however loaded the machine.
            upstream.respond((request, response) -> {
                response.setStatusCode(200)
                        .putHeader("content-type", "text/event-stream")
                        .setChunked(true);
                response.writeHead();
                clientSawPing.thenRun(() -> upstream.vertx()
                        .runOnContext(v ->
                                response.end("data: {\"choices\":[{\"delta\":{\"content\":\"done thinking\"}}]}\n\n"
                                        + "data: {\"choices\":[{\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n"
                                        + "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":2}}\n\n"
                                        + "data: [DONE]\n\n")));
            });
            HttpRequest request = HttpRequest.newBuilder(URI.create(router.baseUrl() + "/v1/messages"))
                    .header("content-type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"slow,o3\",\"stream\":true,"
                            + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
                    .build();
            HttpResponse<java.util.stream.Stream<String>> response =
                    Http.client().send(request, HttpResponse.BodyHandlers.ofLines());
            assertThat(response.statusCode()).isEqualTo(200);
            String body = CompletableFuture.supplyAsync(() -> response.body()
                            .peek(line -> {
                                if (line.equals("event: ping")) {
                                    clientSawPing.complete(null);
                                }
                            })
                            .map(line -> line + "\n")
                            .collect(Collectors.joining()))
                    .get(60, TimeUnit.SECONDS);
            assertThat(body).startsWith("event: message_start\n");
            int ping = body.indexOf("event: ping\ndata: {\"type\":\"ping\"}\n\n");
            assertThat(ping).isPositive().isLessThan(body.indexOf("done thinking"));
            assertThat(body).endsWith("event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n");
        }
    }
}
