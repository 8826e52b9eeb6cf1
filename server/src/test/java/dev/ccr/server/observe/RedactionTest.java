package dev.ccr.server.observe;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import com.fasterxml.jackson.databind.JsonNode;
import dev.ccr.server.json.Json;
import dev.ccr.server.observe.redact.RedactingLayout;
import dev.ccr.server.testing.AnthropicSse;
import dev.ccr.server.testing.FakeKeys;
import dev.ccr.server.testing.FakeUpstream;
import dev.ccr.server.testing.Http;
import dev.ccr.server.testing.Loopback;
import dev.ccr.server.testing.RouterFixture;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;

/**
 * Plants known secrets everywhere a user could put one (the config's keys, tokens and headers, the client's own key,
 * request bodies, the upstream's answer) and greps every output for them: the request log with bodies switched on,
 * the application log at debug level, {@code /metrics}, the stats API, the usage database and the records' toString.
 */
class RedactionTest {
    @RegisterExtension
    final Loopback loopback = new Loopback();

    private static final String ENDPOINT_KEY = FakeKeys.anthropic("api03-PLANTEDendpointKEY0001");
    private static final String ROUTER_TOKEN = "planted-router-token-0002";
    private static final String HEADER_SECRET = "planted-header-secret-0003";
    private static final String CLIENT_KEY = FakeKeys.anthropic("api03-PLANTEDclientKEY0004");
    private static final String BODY_KEY = FakeKeys.anthropic("api03-PLANTEDbodyKEY0005");
    private static final String BODY_FIELD = "plantedfieldvalue0006";
    private static final String RESPONSE_KEY = FakeKeys.anthropic("api03-PLANTEDresponseKEY0007");
    private static final String COOKIE = "planted-cookie-0008";
    private static final String WRONG_TOKEN = "planted-wrong-token-0009";
    private static final List<String> SECRETS = List.of(
            ENDPOINT_KEY,
            ROUTER_TOKEN,
            HEADER_SECRET,
            CLIENT_KEY,
            BODY_KEY,
            BODY_FIELD,
            RESPONSE_KEY,
            COOKIE,
            WRONG_TOKEN);

    private final FakeUpstream upstream = loopback.upstream();
    private final ByteArrayOutputStream applicationLog = new ByteArrayOutputStream();
    private OutputStreamAppender<ILoggingEvent> appender;
    private RouterFixture router;

    @BeforeEach
    void captureTheApplicationLog() {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        RedactingLayout layout = new RedactingLayout();
        layout.setContext(context);
        layout.setPattern("%level %logger - %msg%n%ex");
        layout.start();
        LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
        encoder.setContext(context);
        encoder.setLayout(layout);
        encoder.start();
        appender = new OutputStreamAppender<>();
        appender.setContext(context);
        appender.setEncoder(encoder);
        appender.setOutputStream(applicationLog);
        appender.start();
        context.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(appender);
    }

    @AfterEach
    void releaseTheApplicationLog() {
        ((LoggerContext) LoggerFactory.getILoggerFactory())
                .getLogger(Logger.ROOT_LOGGER_NAME)
                .detachAppender(appender);
    }

    @Test
    void noPlantedSecretReachesAnyOutput() throws Exception {
        router = loopback.router(
                """
                {"logLevel": "debug",
                 "endpoints": [
                   {"name": "main", "type": "anthropic", "baseUrl": "%1$s", "apiKey": "${PLANTED_KEY}",
                    "headers": {"X-Team-Token": "%2$s"}},
                   {"name": "byo", "type": "anthropic", "baseUrl": "%1$s"}],
                 "auth": {"tokens": [{"name": "dev", "token": "%3$s"}]},
                 "log": {"bodies": true}}
                """
                        .formatted(upstream.baseUrl(), HEADER_SECRET, ROUTER_TOKEN),
                Map.of("PLANTED_KEY", ENDPOINT_KEY),
                false);
        upstream.respond((request, response) -> response.putHeader("content-type", "text/event-stream")
                .putHeader("set-cookie", "session=" + COOKIE)
                .end(AnthropicSse.joined(AnthropicSse.textAnswer("claude-sonnet-4-5", 10, "here: " + RESPONSE_KEY))));
        String body = "{\"model\":\"%s\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"my key is "
                + BODY_KEY + ", the token " + ROUTER_TOKEN + ", config {\\\"api_key\\\": \\\"" + BODY_FIELD
                + "\\\"}\"}]}";
        String url = router.baseUrl() + "/v1/messages";

        assertThat(Http.post(
                                url,
                                body.formatted("claude-sonnet-4-5"),
                                Map.of(
                                        "authorization",
                                        "Bearer ccr:" + ROUTER_TOKEN,
                                        "x-claude-code-session-id",
                                        ObservabilityTest.SESSION))
                        .statusCode())
                .isEqualTo(200);
        assertThat(Http.post(
                                url,
                                body.formatted("byo,claude-sonnet-4-5"),
                                Map.of("authorization", "Bearer " + ROUTER_TOKEN, "x-api-key", CLIENT_KEY))
                        .statusCode())
                .isEqualTo(200);
        assertThat(upstream.lastRequest().header("x-api-key"))
                .as("the client's key went upstream")
                .isEqualTo(CLIENT_KEY);
        assertThat(Http.post(url, body.formatted("m"), Map.of("x-api-key", WRONG_TOKEN))
                        .statusCode())
                .isEqualTo(401);
        ObservabilityTest.awaitRecorded(router, 2);
        // A secret that slips into a log message anyway (a library echoing a header, say) is masked by the layout.
        LoggerFactory.getLogger("dev.ccr.leak").warn("upstream said: Authorization: Bearer {}", ROUTER_TOKEN);

        Map<String, String> outputs = new java.util.LinkedHashMap<>();
        Path home = router.home();
        try (Stream<Path> files = Files.walk(home)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                // Binary files too (the database and its write-ahead log): read as Latin-1, every byte survives.
                outputs.put(home.relativize(file).toString(), Files.readString(file, StandardCharsets.ISO_8859_1));
            }
        }
        outputs.put("application log", applicationLog.toString(StandardCharsets.UTF_8));
        Map<String, String> token = Map.of("authorization", "Bearer " + ROUTER_TOKEN);
        for (String path : List.of(
                "/metrics", "/ccr/stats", "/ccr/stats/recent", "/ccr/stats/usage?by=session", "/ccr/stats/usage")) {
            outputs.put(path, Http.get(router.baseUrl() + path, token).body());
        }
        outputs.put("records", router.runtime().stats().recent(10).toString());

        assertThat(outputs).containsKey("logs/requests-" + router.port() + ".jsonl");
        assertThat(outputs.keySet()).anyMatch(name -> name.startsWith("usage.db"));
        List<String> leaks = new ArrayList<>();
        outputs.forEach((where, text) -> SECRETS.forEach(secret -> {
            if (text.contains(secret)) {
                leaks.add(secret + " in " + where);
            }
        }));
        assertThat(leaks).isEmpty();

        // Redacted, not dropped: the log still shows what was sent, around the secrets.
        JsonNode line =
                Json.MAPPER.readTree(Files.readAllLines(home.resolve("logs/requests-" + router.port() + ".jsonl"))
                        .get(0));
        assertThat(line.path("request").path("body").asText())
                .contains("my key is [redacted]")
                .contains("the token [redacted]")
                .contains("\\\"api_key\\\": \\\"[redacted]\\\"");
        assertThat(line.path("request").path("headers").path("authorization").asText())
                .isEqualTo("[redacted]");
        assertThat(line.path("request")
                        .path("headers")
                        .path("x-claude-code-session-id")
                        .asText())
                .isEqualTo(ObservabilityTest.SESSION);
        assertThat(line.path("response").path("body").asText()).contains("message_start", "here: [redacted]");
        assertThat(line.path("response").path("headers").path("set-cookie").asText())
                .isEqualTo("[redacted]");
        assertThat(outputs.get("application log")).contains("upstream said: Authorization: Bearer [redacted]");
    }
}
