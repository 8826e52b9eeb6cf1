package dev.ccr.server.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ccr.server.testing.AnthropicSse;
import dev.ccr.server.testing.FakeUpstream;
import dev.ccr.server.testing.Loopback;
import dev.ccr.server.testing.RouterFixture;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Streams stay streams: events reach the client as the upstream produces them, and a client leaving cancels. */
@ExtendWith(VertxExtension.class)
class StreamingRelayTest {
    @RegisterExtension
    final Loopback loopback = new Loopback();

    private FakeUpstream upstream;
    private RouterFixture router;
    private HttpClient client;

    @BeforeEach
    void start(Vertx vertx) {
        upstream = loopback.upstream(vertx);
        router = loopback.router(RouterFixture.anthropicConfig(upstream.baseUrl(), "k-123456"));
        client = vertx.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1"));
    }

    private RequestOptions streamRequest() {
        return new RequestOptions()
                .setMethod(HttpMethod.POST)
                .setPort(router.port())
                .setURI("/v1/messages?beta=true")
                .putHeader("content-type", "application/json")
                .putHeader("x-api-key", "client-key");
    }

    @Test
    @Timeout(value = 15, timeUnit = TimeUnit.SECONDS)
    void theFirstEventReachesTheClientBeforeTheUpstreamFinishes(VertxTestContext test) {
        List<String> frames = AnthropicSse.textAnswer("claude-sonnet-4-5", 10, "Hello", " world");
        Promise<Void> clientSawFirstEvent = Promise.promise();
        // The upstream holds the rest of its answer until the client has the first content event: a router that
        // buffered the stream would never deliver it, and the test would time out. (message_start alone is held back
        // until content begins, so that an error right after it can still be retried.)
        upstream.respond((request, response) -> {
            response.setChunked(true).putHeader("content-type", "text/event-stream");
            response.write(frames.get(0) + frames.get(1));
            clientSawFirstEvent.future().onSuccess(v -> {
                frames.subList(2, frames.size()).forEach(response::write);
                response.end();
            });
        });
        StringBuilder received = new StringBuilder();
        client.request(streamRequest())
                .compose(request -> request.send("{\"model\":\"claude-sonnet-4-5\",\"stream\":true}"))
                .onComplete(test.succeeding(response -> {
                    response.handler(chunk -> {
                        received.append(chunk.toString());
                        if (received.toString().contains("event: content_block_start")) {
                            clientSawFirstEvent.tryComplete();
                        }
                    });
                    response.endHandler(v -> test.verify(() -> {
                        assertThat(response.statusCode()).isEqualTo(200);
                        assertThat(received.toString()).isEqualTo(String.join("", frames));
                        test.completeNow();
                    }));
                }));
    }

    @Test
    @Timeout(value = 15, timeUnit = TimeUnit.SECONDS)
    void aClientThatLeavesCancelsTheUpstreamRequest(VertxTestContext test) {
        List<String> frames = AnthropicSse.textAnswer("m", 10, "x");
        upstream.respond((request, response) -> {
            response.setChunked(true).putHeader("content-type", "text/event-stream");
            response.write(frames.get(0) + frames.get(1));
            // Never finishes on its own; only the router closing the connection ends this.
            response.closeHandler(v -> test.completeNow());
        });
        client.request(streamRequest())
                .compose(request -> request.send("{\"model\":\"m\",\"stream\":true}"))
                .onComplete(test.succeeding(response -> response.handler(chunk -> {
                    if (chunk.toString().contains("content_block_start")) {
                        response.request().connection().close();
                    }
                })));
    }

    @Test
    @Timeout(value = 15, timeUnit = TimeUnit.SECONDS)
    void anUpstreamThatDiesMidStreamEndsTheClientStreamWithAnErrorEvent(VertxTestContext test) {
        List<String> frames = AnthropicSse.textAnswer("m", 10, "Hel", "lo");
        upstream.respond((request, response) -> {
            response.setChunked(true).putHeader("content-type", "text/event-stream");
            response.write(frames.get(0) + frames.get(1));
            // Half a frame, then the connection drops.
            response.write(Buffer.buffer("event: content_block_delta\ndata: {\"type\":\"content_bl"));
            response.reset();
        });
        assertErrorEventEnds(test, frames.get(0) + frames.get(1));
    }

    @Test
    @Timeout(value = 15, timeUnit = TimeUnit.SECONDS)
    void anUpstreamThatEndsWithoutMessageStopIsAnErrorNotASuccess(VertxTestContext test) {
        List<String> frames = AnthropicSse.textAnswer("m", 10, "Hel", "lo");
        upstream.respond((request, response) -> {
            response.setChunked(true).putHeader("content-type", "text/event-stream");
            response.end(String.join("", frames.subList(0, 4)));
        });
        assertErrorEventEnds(test, String.join("", frames.subList(0, 4)));
    }

    private void assertErrorEventEnds(VertxTestContext test, String expectedPrefix) {
        client.request(streamRequest())
                .compose(request -> request.send("{\"model\":\"m\",\"stream\":true}"))
                .compose(response -> response.body().map(body -> {
                    assertThat(response.statusCode()).isEqualTo(200);
                    return body.toString();
                }))
                .onComplete(test.succeeding(body -> test.verify(() -> {
                    assertThat(body).startsWith(expectedPrefix);
                    String rest = body.substring(expectedPrefix.length());
                    assertThat(rest)
                            .as("one clean error frame, no half frame before it")
                            .startsWith("event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"api_error\","
                                    + "\"message\":\"ccr: endpoint \\\"anthropic\\\"")
                            .contains("before the message was complete")
                            .endsWith("}\n\n");
                    test.completeNow();
                })));
    }
}
