package dev.ccr.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ccr.server.testing.FakeUpstream;
import dev.ccr.server.testing.Http;
import dev.ccr.server.testing.RouterFixture;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A translated upstream that thinks silently for longer than the keep-alive interval (a reasoning model that streams
 * no reasoning): the client must see the stream start and {@code ping}s meanwhile, so Claude Code's idle watchdog never
 * fires, and then the answer. Slow by nature (over 15 s), hence an IT.
 */
class SlowUpstreamIT {
    @Test
    void pingsWhileTheUpstreamIsSilent() {
        try (FakeUpstream upstream = FakeUpstream.start();
                RouterFixture router = RouterFixture.start(
                        """
                        {"endpoints": [{"name": "slow", "type": "openai", "baseUrl": "%s", "apiKey": "k"}]}
                        """
                                .formatted(upstream.baseUrl()))) {
            upstream.respond((request, response) -> {
                response.setStatusCode(200)
                        .putHeader("content-type", "text/event-stream")
                        .setChunked(true);
                response.writeHead();
                upstream.vertx()
                        .setTimer(
                                16_500,
                                id -> response.end(
                                        "data: {\"choices\":[{\"delta\":{\"content\":\"done thinking\"}}]}\n\n"
                                                + "data: {\"choices\":[{\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n"
                                                + "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":2}}\n\n"
                                                + "data: [DONE]\n\n"));
            });
            HttpResponse<String> response = Http.post(
                    router.baseUrl() + "/v1/messages",
                    "{\"model\":\"slow,o3\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
                    Map.of("content-type", "application/json"));
            assertThat(response.statusCode()).isEqualTo(200);
            String body = response.body();
            assertThat(body).startsWith("event: message_start\n");
            int ping = body.indexOf("event: ping\ndata: {\"type\":\"ping\"}\n\n");
            assertThat(ping).isPositive().isLessThan(body.indexOf("done thinking"));
            assertThat(body).endsWith("event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n");
        }
    }
}
