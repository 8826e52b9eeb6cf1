package dev.ccr.server.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import dev.ccr.server.testing.AnthropicSse;
import dev.ccr.server.testing.FakeUpstream;
import dev.ccr.server.testing.Http;
import dev.ccr.server.testing.LogCapture;
import dev.ccr.server.testing.RawHttp;
import dev.ccr.server.testing.RouterFixture;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Client connections have deadlines and a cap: a client that trickles its headers or body, or holds a connection
 * with nothing on it, is cut off, while a request the router is busy answering is not; ambiguous framing is refused
 * and the connection closed.
 */
class ClientConnectionsTest {
    private static final String BODY = "{\"model\":\"m\",\"max_tokens\":5,\"messages\":[]}";
    private static FakeUpstream upstream;
    private static RouterFixture router;

    @BeforeAll
    static void start() {
        upstream = FakeUpstream.start().respondWith(200, "application/json", "{\"ok\":true}");
        router = RouterFixture.start(
                """
                {
                  "endpoints": [{"name": "a", "type": "anthropic", "baseUrl": "%s", "apiKey": "sk-0123456789"}],
                  "connections": {"headerTimeoutMs": 600, "bodyIdleTimeoutMs": 600, "idleTimeoutMs": 1500}
                }
                """
                        .formatted(upstream.baseUrl()));
    }

    @AfterAll
    static void stop() {
        router.close();
        upstream.close();
    }

    private static Socket connect() throws IOException {
        return new Socket("127.0.0.1", router.port());
    }

    /** Writes {@code text} a few bytes at a time with pauses, as long as the server keeps the connection open. */
    private static boolean trickle(Socket socket, String text, int pauseMillis) {
        try {
            OutputStream out = socket.getOutputStream();
            for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
                out.write(b);
                out.flush();
                Thread.sleep(pauseMillis);
            }
            return true;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Test
    void headersTrickledPastTheDeadlineGet408AndTheConnectionIsClosed() throws Exception {
        try (Socket socket = connect()) {
            long started = System.nanoTime();
            trickle(socket, "POST /v1/messages HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: aaaaaaaaaaaaaaaaaaaaaa", 100);
            RawHttp.Reply reply = RawHttp.read(socket, 10_000);
            assertThat(reply.closed()).isTrue();
            assertThat(reply.status()).isEqualTo(408);
            assertThat(reply.text()).contains("timeout_error");
            assertThat((System.nanoTime() - started) / 1_000_000).isLessThan(8_000);
        }
    }

    @Test
    void aBodyThatStopsArrivingIsCutOffAndThatIsNoErrorOfTheRouter() throws Exception {
        try (LogCapture log = LogCapture.start();
                Socket socket = connect()) {
            socket.getOutputStream()
                    .write(("POST /v1/messages HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                                    + "Content-Length: 1000\r\n\r\n{\"model\":")
                            .getBytes(StandardCharsets.UTF_8));
            RawHttp.Reply reply = RawHttp.read(socket, 10_000);
            assertThat(reply.closed()).isTrue();
            Thread.sleep(200);
            assertThat(log.atLeast(Level.WARN)).isEmpty();
        }
        assertThat(upstream.requests())
                .noneMatch(r ->
                        r.bodyText().startsWith("{\"model\":") && r.bodyText().length() < 20);
    }

    @Test
    void aBodyTrickledAFewBytesAtATimeIsCutOffToo() throws Exception {
        try (Socket socket = connect()) {
            socket.getOutputStream()
                    .write(("POST /v1/messages HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                                    + "Content-Length: 100000\r\n\r\n")
                            .getBytes(StandardCharsets.UTF_8));
            long started = System.nanoTime();
            // A byte every 100 ms never leaves the body silent for 600 ms, but never delivers a KiB in that time.
            boolean stillOpen = trickle(socket, "{\"model\":\"m\",\"messages\":[]}".repeat(20), 100);
            assertThat(stillOpen).as("cut off while trickling").isFalse();
            assertThat((System.nanoTime() - started) / 1_000_000).isLessThan(10_000);
        }
    }

    @Test
    void aConnectionWithNothingOnItIsClosedAfterTheIdleTimeout() throws Exception {
        try (Socket fresh = connect()) {
            long started = System.nanoTime();
            assertThat(RawHttp.read(fresh, 10_000).closed()).isTrue();
            assertThat((System.nanoTime() - started) / 1_000_000).isBetween(1_000L, 8_000L);
        }
        try (Socket reused = connect()) {
            reused.getOutputStream()
                    .write(("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            RawHttp.Reply reply = RawHttp.read(reused, 10_000);
            assertThat(reply.status()).isEqualTo(200);
            assertThat(reply.closed()).as("closed once idle after its request").isTrue();
        }
    }

    @Test
    void aSlowUpstreamAnswerIsNotCutOffByTheClientDeadlines() {
        List<String> frames = AnthropicSse.textAnswer("m", 5, "slow", " answer");
        upstream.respond((request, response) -> {
            response.setChunked(true).putHeader("content-type", "text/event-stream");
            // Silent for longer than every client deadline before the answer starts, and between events.
            upstream.vertx().setTimer(2_000, t -> {
                response.write(frames.get(0));
                upstream.vertx().setTimer(2_000, u -> {
                    frames.subList(1, frames.size()).forEach(response::write);
                    response.end();
                });
            });
        });
        try {
            var answer = Http.post(
                    router.baseUrl() + "/v1/messages",
                    "{\"model\":\"m\",\"stream\":true,\"max_tokens\":5,\"messages\":[]}",
                    Map.of());
            assertThat(answer.statusCode()).isEqualTo(200);
            assertThat(answer.body()).isEqualTo(String.join("", frames));
        } finally {
            upstream.respondWith(200, "application/json", "{\"ok\":true}");
        }
    }

    @Test
    void contentLengthWithChunkedIsRefusedAndNothingSmuggledInTheBodyIsServed() {
        int before = upstream.requests().size();
        String smuggled = "GET /v1/models HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
        String chunked = "0\r\n\r\n" + smuggled;
        RawHttp.Reply reply = RawHttp.exchange(
                router.port(),
                "POST /v1/messages HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: "
                        + chunked.length() + "\r\nTransfer-Encoding: chunked\r\n\r\n" + chunked,
                10_000);
        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.responses()).as(reply.text()).isEqualTo(1);
        assertThat(reply.closed()).isTrue();
        assertThat(upstream.requests()).hasSize(before);
    }

    @Test
    void anH2cUpgradeIsAnsweredInHttp11AndAnErrorClosesWhatItSaysItCloses() {
        RawHttp.Reply reply = RawHttp.exchange(
                router.port(),
                "GET /nope HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\n"
                        + "HTTP2-Settings: AAMAAABkAAQAAP__\r\n\r\n",
                10_000);
        assertThat(reply.status()).isEqualTo(404);
        assertThat(reply.closed()).isTrue();

        RawHttp.Reply bad = RawHttp.exchange(
                router.port(),
                "POST /v1/messages HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: h2c\r\nConnection: Upgrade\r\n"
                        + "Content-Length: 5\r\nContent-Length: 6\r\n\r\nhello!",
                10_000);
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.closed()).isTrue();
    }

    @Test
    void otherClientsAreServedQuicklyWhileManyConnectionsTrickle() throws Exception {
        List<Socket> slow = new ArrayList<>();
        try {
            for (int i = 0; i < 50; i++) {
                Socket socket = connect();
                socket.getOutputStream()
                        .write("POST /v1/messages HTTP/1.1\r\nHost: 127".getBytes(StandardCharsets.UTF_8));
                slow.add(socket);
            }
            long started = System.nanoTime();
            assertThat(Http.post(router.baseUrl() + "/v1/messages", BODY, Map.of())
                            .statusCode())
                    .isEqualTo(200);
            assertThat((System.nanoTime() - started) / 1_000_000).isLessThan(2_000);
            for (Socket socket : slow) {
                assertThat(RawHttp.read(socket, 10_000).closed()).isTrue();
            }
        } finally {
            for (Socket socket : slow) {
                socket.close();
            }
        }
    }

    @Test
    void connectionsBeyondTheCapGet503AndAClosedConnection() throws Exception {
        try (RouterFixture capped = RouterFixture.start(
                """
                {
                  "endpoints": [{"name": "a", "type": "anthropic", "baseUrl": "%s", "apiKey": "sk-0123456789"}],
                  "connections": {"maxOpen": 5}
                }
                """
                        .formatted(upstream.baseUrl()))) {
            List<Socket> open = new ArrayList<>();
            try {
                for (int i = 0; i < 5; i++) {
                    open.add(new Socket("127.0.0.1", capped.port()));
                }
                RawHttp.Reply refused =
                        RawHttp.exchange(capped.port(), "GET /health HTTP/1.1\r\nHost: x\r\n\r\n", 10_000);
                assertThat(refused.status()).isEqualTo(503);
                assertThat(refused.text()).contains("overloaded_error").contains("connections.maxOpen");
                assertThat(refused.closed()).isTrue();

                open.remove(0).close();
                org.awaitility.Awaitility.await()
                        .atMost(java.time.Duration.ofSeconds(10))
                        .until(() -> RawHttp.request(capped.port(), "GET", "/health", "127.0.0.1", "", null)
                                        .status()
                                == 200);
            } finally {
                for (Socket socket : open) {
                    socket.close();
                }
            }
        }
    }
}
