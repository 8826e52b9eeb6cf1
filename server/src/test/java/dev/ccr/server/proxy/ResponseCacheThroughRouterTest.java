package dev.ccr.server.proxy;

import static dev.ccr.server.proxy.BalancingThroughRouterTest.MESSAGE;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ccr.server.json.Json;
import dev.ccr.server.testing.AnthropicSse;
import dev.ccr.server.testing.FakeKeys;
import dev.ccr.server.testing.FakeUpstream;
import dev.ccr.server.testing.Http;
import dev.ccr.server.testing.Loopback;
import dev.ccr.server.testing.RouterFixture;
import dev.ccr.server.testing.StreamCheck;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The response cache as a client meets it: repeated requests answered without the upstream, and only good answers. */
class ResponseCacheThroughRouterTest {
    @RegisterExtension
    final Loopback loopback = new Loopback();

    private static final String REQUEST = "{\"model\":\"claude-test\",\"max_tokens\":10,%s"
            + "\"metadata\":{\"user_id\":\"%s\"},\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    private static final List<String> STREAM = AnthropicSse.textAnswer("claude-test", 10, "Hel", "lo");

    private FakeUpstream upstream;
    private RouterFixture router;

    @BeforeEach
    void start() {
        upstream = loopback.upstream().respond((request, response) -> {
            if (request.bodyText().contains("\"stream\":true")) {
                response.putHeader("content-type", "text/event-stream").end(String.join("", STREAM));
            } else {
                response.putHeader("content-type", "application/json").end(MESSAGE);
            }
        });
        router = loopback.router(
                """
                {
                  "endpoints": [{"name": "a", "type": "anthropic", "baseUrl": "%s", "apiKey": "ka-0123456789"}],
                  "cache": {"enabled": true, "ttl": 600}
                }
                """
                        .formatted(upstream.baseUrl()));
    }

    private HttpResponse<String> send(boolean stream, String session, Map<String, String> extra) {
        Map<String, String> headers = new HashMap<>(Map.of("content-type", "application/json", "x-api-key", "c"));
        headers.putAll(extra);
        return Http.post(
                router.baseUrl() + "/v1/messages",
                REQUEST.formatted(stream ? "\"stream\":true," : "", session),
                headers);
    }

    private static String cache(HttpResponse<String> response) {
        return response.headers().firstValue(Exchange.HEADER_CACHE).orElse(null);
    }

    @Test
    void aRepeatedRequestIsAnsweredFromTheCacheWhateverItsSession() throws Exception {
        HttpResponse<String> first = send(false, "session-1", Map.of());
        HttpResponse<String> second = send(false, "session-2", Map.of());

        assertThat(cache(first)).isEqualTo("miss");
        assertThat(cache(second)).isEqualTo("hit");
        assertThat(upstream.requests()).hasSize(1);
        JsonNode original = Json.MAPPER.readTree(first.body());
        JsonNode replayed = Json.MAPPER.readTree(second.body());
        assertThat(replayed.path("content")).isEqualTo(original.path("content"));
        assertThat(replayed.path("usage")).isEqualTo(original.path("usage"));
        assertThat(replayed.path("id").asText())
                .as("each answer has its own id")
                .isNotEqualTo(original.path("id").asText());
    }

    @Test
    void aCachedStreamIsReplayedAsAValidEventSequence() {
        HttpResponse<String> first = send(true, "s", Map.of());
        HttpResponse<String> second = send(true, "s", Map.of());

        assertThat(cache(second)).isEqualTo("hit");
        assertThat(upstream.requests()).hasSize(1);
        assertThat(second.headers().firstValue("content-type"))
                .hasValueSatisfying(t -> assertThat(t).startsWith("text/event-stream"));
        StreamCheck replay = StreamCheck.of(second.body());
        assertThat(replay.outcome()).isEqualTo(StreamCheck.Outcome.COMPLETE);
        assertThat(replay.text()).isEqualTo(StreamCheck.of(first.body()).text()).isEqualTo("Hello");
    }

    @Test
    void aCachedStreamAnswersTheSameRequestWithoutStreamingAsOneMessage() throws Exception {
        send(true, "s", Map.of());
        HttpResponse<String> whole = send(false, "s", Map.of());

        assertThat(cache(whole)).isEqualTo("hit");
        assertThat(upstream.requests()).hasSize(1);
        JsonNode message = Json.MAPPER.readTree(whole.body());
        assertThat(message.path("type").asText()).isEqualTo("message");
        assertThat(message.path("content").get(0).path("text").asText()).isEqualTo("Hello");
        assertThat(message.path("stop_reason").asText()).isEqualTo("end_turn");
    }

    @Test
    void bypassAsksTheUpstreamAgain() {
        send(false, "s", Map.of());
        HttpResponse<String> bypassed = send(false, "s", Map.of(Exchange.HEADER_CACHE, "bypass"));
        assertThat(cache(bypassed)).isEqualTo("bypass");
        assertThat(upstream.requests()).hasSize(2);
        assertThat(cache(send(false, "s", Map.of()))).isEqualTo("hit");
    }

    @Test
    void errorsAndBrokenStreamsAreNeverCached() {
        upstream.respondWith(
                400,
                "application/json",
                "{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\",\"message\":\"no\"}}");
        assertThat(send(false, "s", Map.of()).statusCode()).isEqualTo(400);
        assertThat(send(false, "s", Map.of()).statusCode()).isEqualTo(400);
        assertThat(upstream.requests()).hasSize(2);

        upstream.respond((request, response) -> response.putHeader("content-type", "text/event-stream")
                .end(String.join("", STREAM.subList(0, STREAM.size() - 2))));
        assertThat(StreamCheck.of(send(true, "s", Map.of()).body()).outcome()).isEqualTo(StreamCheck.Outcome.ERROR);
        HttpResponse<String> again = send(true, "s", Map.of());
        assertThat(cache(again)).isEqualTo("miss");
        assertThat(upstream.requests()).hasSize(4);
    }

    @Test
    void aDifferentConversationIsADifferentEntry() {
        send(false, "s", Map.of());
        HttpResponse<String> other = Http.post(
                router.baseUrl() + "/v1/messages",
                "{\"model\":\"claude-test\",\"max_tokens\":10,\"messages\":[{\"role\":\"user\",\"content\":\"bye\"}]}",
                Map.of("content-type", "application/json", "x-api-key", "c"));
        assertThat(cache(other)).isEqualTo("miss");
        assertThat(upstream.requests()).hasSize(2);
    }

    @Test
    void aCachedAnswerGoesOnlyToTheCredentialItWasGivenTo() {
        String good = FakeKeys.anthropic("api03-good-client-key");
        try (FakeUpstream checking = FakeUpstream.start().respond((request, response) -> {
                    if (good.equals(request.header("x-api-key"))) {
                        response.putHeader("content-type", "application/json").end(MESSAGE);
                    } else {
                        response.setStatusCode(401)
                                .putHeader("content-type", "application/json")
                                .end("{\"type\":\"error\",\"error\":{\"type\":\"authentication_error\","
                                        + "\"message\":\"invalid x-api-key\"}}");
                    }
                });
                RouterFixture forwarding = loopback.router(
                        """
                        {
                          "endpoints": [{"name": "a", "type": "anthropic", "baseUrl": "%s"}],
                          "cache": {"enabled": true, "ttl": 600}
                        }
                        """
                                .formatted(checking.baseUrl()))) {
            String body = REQUEST.formatted("", "s");
            String url = forwarding.baseUrl() + "/v1/messages";
            HttpResponse<String> first =
                    Http.post(url, body, Map.of("content-type", "application/json", "x-api-key", good));
            assertThat(first.statusCode()).isEqualTo(200);
            assertThat(cache(first)).isEqualTo("miss");

            HttpResponse<String> other =
                    Http.post(url, body, Map.of("content-type", "application/json", "x-api-key", "nonsense"));
            assertThat(other.statusCode()).as("the upstream refuses that key").isEqualTo(401);
            assertThat(cache(other)).isEqualTo("miss");
            HttpResponse<String> bearer = Http.post(
                    url, body, Map.of("content-type", "application/json", "authorization", "Bearer oauth-token"));
            assertThat(bearer.statusCode()).isEqualTo(401);

            HttpResponse<String> again =
                    Http.post(url, body, Map.of("content-type", "application/json", "x-api-key", good));
            assertThat(cache(again))
                    .as("the same credential still gets its answer")
                    .isEqualTo("hit");
            assertThat(checking.requests()).hasSize(3);
        }
    }

    @Test
    void routerTokensDoNotShareCachedAnswers() {
        try (RouterFixture tokens = RouterFixture.start(
                """
                {
                  "endpoints": [{"name": "a", "type": "anthropic", "baseUrl": "%s", "apiKey": "ka-0123456789"}],
                  "auth": {"tokens": [{"name": "alice", "token": "tok-alice-0123"}, {"name": "bob", "token": "tok-bob-01234"}]},
                  "cache": {"enabled": true, "ttl": 600}
                }
                """
                        .formatted(upstream.baseUrl()))) {
            String body = REQUEST.formatted("", "s");
            String url = tokens.baseUrl() + "/v1/messages";
            Map<String, String> alice = Map.of("content-type", "application/json", "x-api-key", "tok-alice-0123");
            Map<String, String> bob = Map.of("content-type", "application/json", "x-api-key", "tok-bob-01234");
            assertThat(cache(Http.post(url, body, alice))).isEqualTo("miss");
            assertThat(cache(Http.post(url, body, bob))).isEqualTo("miss");
            assertThat(cache(Http.post(url, body, alice))).isEqualTo("hit");
            assertThat(cache(Http.post(url, body, bob))).isEqualTo("hit");
            assertThat(upstream.requests()).hasSize(2);
        }
    }
}
