package dev.ccr.server.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ccr.server.json.Json;
import dev.ccr.server.testing.FakeUpstream;
import dev.ccr.server.testing.Http;
import dev.ccr.server.testing.RawHttp;
import dev.ccr.server.testing.RouterFixture;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Request bodies and headers as an attacker or a careless script sends them: refused at the edge with a 400/415 in
 * Anthropic's shape that names the problem, before any upstream is called, and never a 500 or a hang.
 */
class HostileInputTest {
    private static final String OPENAI_ANSWER = "{\"id\":\"c\",\"object\":\"chat.completion\",\"model\":\"gpt\","
            + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"hi\"},"
            + "\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":1}}";
    private static final String ANTHROPIC_ANSWER = "{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\","
            + "\"model\":\"m\",\"content\":[{\"type\":\"text\",\"text\":\"hi\"}],\"stop_reason\":\"end_turn\","
            + "\"usage\":{\"input_tokens\":1,\"output_tokens\":1}}";
    private static FakeUpstream upstream;
    private static RouterFixture router;

    @BeforeAll
    static void start() {
        upstream = FakeUpstream.start();
        router = RouterFixture.start(
                """
                {
                  "endpoints": [
                    { "name": "anthropic", "type": "anthropic", "baseUrl": "%1$s", "apiKey": "sk-ant-0123456" },
                    { "name": "oai", "type": "openai", "baseUrl": "%1$s", "apiKey": "sk-oai-0123456", "models": ["gpt"] },
                    { "name": "gem", "type": "gemini", "baseUrl": "%1$s", "apiKey": "g-0123456", "models": ["gem"] }
                  ]
                }
                """
                        .formatted(upstream.baseUrl()));
    }

    @AfterAll
    static void stop() {
        router.close();
        upstream.close();
    }

    @BeforeEach
    void answer() {
        upstream.requests().clear();
        upstream.respond((request, response) -> response.putHeader("content-type", "application/json")
                .end(request.path().contains("chat/completions") ? OPENAI_ANSWER : ANTHROPIC_ANSWER));
    }

    private static HttpResponse<String> post(String body, Map<String, String> headers) {
        return Http.post(router.baseUrl() + "/v1/messages", body, headers);
    }

    private static String message(int model, String extra) {
        String name = model == 0 ? "claude-x" : model == 1 ? "oai,gpt" : "gem,gem";
        return "{\"model\":\"" + name + "\",\"max_tokens\":5," + extra
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    }

    private static void assertRefused(HttpResponse<String> response, int status, String text) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.body())
                .contains("\"type\":\"invalid_request_error\"")
                .contains(text);
        assertThat(upstream.requests()).as("no upstream was called").isEmpty();
    }

    @ParameterizedTest
    @CsvSource({"text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "text/json"})
    void bodiesABrowserCanSendWithoutAskingAreRefused(String type) {
        assertRefused(post(message(0, ""), Map.of("content-type", type)), 415, "content-type: application/json");
        assertRefused(
                Http.post(router.baseUrl() + "/v1/messages/count_tokens", message(0, ""), Map.of("content-type", type)),
                415,
                "must be JSON");
    }

    @Test
    void aBodyWithoutAContentTypeIsRefusedAndJsonWithParametersIsServed() {
        RawHttp.Reply none = RawHttp.exchange(
                router.port(),
                "POST /v1/messages HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Length: 2\r\n\r\n{}",
                10_000);
        assertThat(none.status()).isEqualTo(415);
        assertThat(none.text()).contains("no content-type was sent");

        assertThat(post(message(0, ""), Map.of("content-type", "application/json; charset=utf-8"))
                        .statusCode())
                .isEqualTo(200);
        assertThat(post(message(0, ""), Map.of("content-type", "Application/JSON"))
                        .statusCode())
                .isEqualTo(200);
    }

    @Test
    void anEmptyBodyIsABadRequestNotAnInternalError() {
        RawHttp.Reply chunked = RawHttp.exchange(
                router.port(),
                "POST /v1/messages HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Type: application/json"
                        + "\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
                10_000);
        assertThat(chunked.status()).as(chunked.text()).isEqualTo(400);
        assertThat(chunked.text()).contains("the request body is empty");

        assertRefused(post("", Map.of()), 400, "the request body is empty");
    }

    @Test
    void bytesJacksonTakesForUtf32AreABadRequestNotAnInternalError() {
        // Found by ConfigLoaderFuzzTest: a NUL-padded start makes Jackson guess UTF-32, then fail on the rest.
        String body = "\n\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000{\"model\":\"oai,gpt\"}";
        assertRefused(post(body, Map.of()), 400, "not valid JSON");
    }

    @Test
    void controlCharactersInTheModelAreRefusedBeforeTheUpstreamIsCalled() {
        for (String model : new String[] {"x\\r\\nX-Evil: 1", "x\\nforged log line", "x\\u0000", "x\\u007f", "a\\tb"}) {
            HttpResponse<String> response =
                    post("{\"model\":\"" + model + "\",\"max_tokens\":5,\"messages\":[]}", Map.of());
            assertRefused(response, 400, "model: must not contain control characters");
        }
    }

    @Test
    void aHugeModelIsNotEchoedWholeInAHeader() {
        String model = "m".repeat(100_000);
        HttpResponse<String> response =
                post("{\"model\":\"" + model + "\",\"max_tokens\":5,\"messages\":[]}", Map.of());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue(Exchange.HEADER_MODEL))
                .hasValueSatisfying(echoed -> assertThat(echoed.length()).isLessThanOrEqualTo(Headers.MAX_ECHOED + 3));
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "\"true\"| stream: Input should be a valid boolean",
                "1| stream: Input should be a valid boolean",
                "\"false\"| stream: Input should be a valid boolean"
            })
    void streamMustBeABooleanOnEveryEndpoint(String value, String text) {
        for (int model = 0; model < 3; model++) {
            upstream.requests().clear();
            assertRefused(post(message(model, "\"stream\":" + value + ","), Map.of()), 400, text.strip());
        }
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "\"max_tokens\":" + "9999999999999999999999999999999999999999"
                        + "| max_tokens: Input should be less than or equal to 2147483647",
                "\"max_tokens\":1e999| max_tokens: Input should be a valid integer",
                "\"max_tokens\":\"50\"| max_tokens: Input should be a valid integer",
                "\"max_tokens\":0| max_tokens: Input should be greater than or equal to 1",
                "\"max_tokens\":-5| max_tokens: Input should be greater than or equal to 1",
                "\"max_tokens\":2.5| max_tokens: Input should be a valid integer",
                "\"temperature\":1e999| temperature: Input should be a finite number",
                "\"temperature\":\"hot\"| temperature: Input should be a valid number",
                "\"top_p\":-1e999| top_p: Input should be a finite number",
                "\"top_k\":-1| top_k: Input should be greater than or equal to 0",
                "\"top_k\":1.5| top_k: Input should be a valid integer",
                "\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":\"1024\"}"
                        + "| thinking.budget_tokens: Input should be a valid integer",
                "\"stop_sequences\":\"END\"| stop_sequences: Input should be a valid list",
                "\"stop_sequences\":[1]| stop_sequences.0: Input should be a valid string"
            })
    void numbersDoNotChangeOnTheWayToTranslatedEndpoints(String field, String text) {
        for (int model = 1; model < 3; model++) {
            upstream.requests().clear();
            String body = "{\"model\":\"" + (model == 1 ? "oai,gpt" : "gem,gem") + "\"," + field
                    + (field.startsWith("\"max_tokens\"") ? "" : ",\"max_tokens\":5")
                    + ",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
            assertRefused(post(body, Map.of()), 400, text.strip());
        }
    }

    @Test
    void validNumbersStillGoThroughUnchanged() throws Exception {
        HttpResponse<String> response = post(
                "{\"model\":\"oai,gpt\",\"max_tokens\":2147483647,\"temperature\":0.7,\"top_p\":null,"
                        + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
                Map.of());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode sent = Json.MAPPER.readTree(upstream.lastRequest().bodyText());
        assertThat(sent.path("max_tokens").asLong()).isEqualTo(2147483647L);
        assertThat(sent.path("temperature").asDouble()).isEqualTo(0.7);
    }

    @Test
    void aStringLongerThanJacksonsDefaultCapReachesATranslatedEndpoint() {
        // 21 million characters: beyond Jackson's default of 20 million, within the 32 MB body cap.
        String pdf = "A".repeat(21_000_000);
        HttpResponse<String> response = post(
                "{\"model\":\"oai,gpt\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":"
                        + "\"image\",\"source\":{\"type\":\"base64\",\"media_type\":\"image/png\",\"data\":\"" + pdf
                        + "\"}}]}]}",
                Map.of());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(upstream.lastRequest().bodyText()).contains(pdf.substring(0, 1000));
    }

    @Test
    void aBodyOverTheCapIsTooLargeAndADeeplyNestedOneSaysSo() {
        HttpResponse<String> large = post("{\"model\":\"x\",\"pad\":\"" + "A".repeat(33 << 20) + "\"}", Map.of());
        assertThat(large.statusCode()).isEqualTo(413);
        assertThat(large.body()).contains("request_too_large").contains("exceeds 32 MiB");

        String deep = "[".repeat(5_000) + "]".repeat(5_000);
        assertRefused(post("{\"model\":\"oai,gpt\",\"messages\":" + deep + "}", Map.of()), 400, "too large to read");
    }
}
