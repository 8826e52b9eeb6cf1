package dev.ccr.server.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ccr.protocol.claude.ClaudeEnableParams;
import dev.ccr.protocol.config.EndpointChangeParams;
import dev.ccr.protocol.config.EndpointSettings;
import dev.ccr.protocol.config.EndpointType;
import dev.ccr.protocol.lifecycle.InitializeResult;
import dev.ccr.protocol.router.EditorPreferences;
import dev.ccr.protocol.router.PreferencesChangedParams;
import dev.ccr.protocol.router.RouterStopParams;
import dev.ccr.protocol.router.StopReason;
import dev.ccr.protocol.router.WhenEditorsClose;
import dev.ccr.protocol.status.RouterLifetime;
import dev.ccr.protocol.status.RoutingState;
import dev.ccr.protocol.status.ServerStatus;
import dev.ccr.server.testing.FakeUpstream;
import dev.ccr.server.testing.Http;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * One router for all windows: editors attached through the local socket share its proxy and its live state, the
 * window that started it may close while others use it, and what it does once the last has gone follows the routing
 * state and the editors' choice. Real sockets, a real proxy, a fake upstream.
 */
class SharedRouterTest {
    /** Short, so the tests need not wait; the decisions are the same as with the real ten seconds. */
    private static final Duration LINGER = Duration.ofMillis(300);

    private static final String USER_SETTINGS = "{\n\t\"model\": \"opus\",\n\t\"env\": { \"FOO\": \"bar\" }\n}\n";

    private FakeUpstream upstream;

    @BeforeEach
    void upstream() {
        upstream = FakeUpstream.start().respond((request, response) -> response.putHeader(
                        "content-type", "application/json")
                .end("{\"id\":\"msg_1\",\"type\":\"message\",\"usage\":{\"input_tokens\":3,\"output_tokens\":2}}"));
    }

    @AfterEach
    void stopUpstream() {
        upstream.close();
    }

    private SharedRouterHarness router() throws Exception {
        return new SharedRouterHarness(
                """
                {
                  "endpoints": [
                    { "name": "anthropic", "type": "anthropic", "baseUrl": "%s" }
                  ]
                }
                """
                        .formatted(upstream.baseUrl()),
                LINGER);
    }

    private static HttpResponse<String> message(String baseUrl) {
        return Http.post(
                baseUrl + "/v1/messages",
                "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":5,\"messages\":[]}",
                Map.of("content-type", "application/json", "anthropic-version", "2023-06-01"));
    }

    @Test
    void windowsAttachedToTheSocketShareOneRouterAndSeeTheSameLiveState() throws Exception {
        try (SharedRouterHarness shared = router()) {
            InitializeResult first = shared.starter.initialize(shared.directory, WhenEditorsClose.KEEP_SERVING);
            SharedRouterHarness.Window second = shared.attach();
            InitializeResult attached = second.initialize(shared.directory, WhenEditorsClose.KEEP_SERVING);

            assertThat(attached.processId()).isEqualTo(first.processId());
            assertThat(attached.status().lifetime()).isEqualTo(RouterLifetime.SHARED);
            assertThat(attached.status().baseUrl()).isEqualTo(first.status().baseUrl());
            shared.starter.editor.awaitStatus(s -> s.editors() == 2);

            // An endpoint added in one window shows in the other, pushed.
            second.server
                    .getConfigService()
                    .addEndpoint(new EndpointChangeParams(
                            new EndpointSettings(
                                    "glm",
                                    EndpointType.OPENAI,
                                    "https://open.bigmodel.cn/api/paas/v4",
                                    null,
                                    null,
                                    null,
                                    null,
                                    null),
                            false))
                    .get(20, TimeUnit.SECONDS);
            shared.starter.editor.awaitStatus(s -> s.endpoints().size() == 2);
            await().atMost(Duration.ofSeconds(15)).until(() -> shared.starter.editor.configs.stream()
                    .anyMatch(c -> c.config().endpoints().size() == 2));
            second.editor.awaitStatus(s -> s.endpoints().size() == 2);
        }
    }

    @Test
    void closingTheWindowThatStartedTheRouterDoesNotStopItWhileOthersUseIt() throws Exception {
        try (SharedRouterHarness shared = router()) {
            String baseUrl = shared.starter
                    .initialize(shared.directory, WhenEditorsClose.KEEP_SERVING)
                    .status()
                    .baseUrl();
            SharedRouterHarness.Window second = shared.attach();
            // Before the handshake: a router asks a window that attaches for every key at once (VS Code's windows
            // share one secret storage; the first window here stands for one that has none).
            second.editor.keys.put("anthropic", "sk-editor");
            second.initialize(shared.directory, WhenEditorsClose.KEEP_SERVING);

            shared.starter.close();

            second.editor.awaitStatus(s -> s.editors() == 1);
            Thread.sleep(LINGER.toMillis() * 3);
            assertThat(shared.exited()).isFalse();
            assertThat(second.server.getStatsService().summary().get(10, TimeUnit.SECONDS))
                    .isNotNull();
            assertThat(message(baseUrl).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void withRoutingOnTheRouterKeepsServingAfterTheLastWindowClosesUntilRoutingIsTurnedOff() throws Exception {
        try (SharedRouterHarness shared = router()) {
            Files.writeString(shared.claudeSettings, USER_SETTINGS);
            String baseUrl = shared.starter
                    .initialize(shared.directory, WhenEditorsClose.KEEP_SERVING)
                    .status()
                    .baseUrl();
            shared.starter
                    .server
                    .getClaudeService()
                    .enable(new ClaudeEnableParams(null, null))
                    .get(20, TimeUnit.SECONDS);
            shared.starter.editor.awaitStatus(s -> s.routing() == RoutingState.ON);

            shared.starter.close();
            Thread.sleep(LINGER.toMillis() * 4);

            assertThat(shared.exited()).as("Claude Code still needs it").isFalse();
            // Claude Code in a terminal, with its own key: no window is left to ask for one.
            HttpResponse<String> answer = Http.post(
                    baseUrl + "/v1/messages",
                    "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":5,\"messages\":[]}",
                    Map.of("content-type", "application/json", "x-api-key", "sk-terminal"));
            assertThat(answer.statusCode()).isEqualTo(200);
            assertThat(upstream.lastRequest().header("x-api-key")).isEqualTo("sk-terminal");
            assertThat(Files.readString(shared.claudeSettings)).contains(baseUrl);

            // 'ccr claude disable' in a terminal: nothing needs the router any more.
            shared.router.claude().disable(shared.router.target(), java.util.List.of());
            assertThat(Files.readString(shared.claudeSettings)).isEqualTo(USER_SETTINGS);
            await().atMost(Duration.ofSeconds(15)).until(shared::exited);
            assertThat(shared.router.exited().get()).isZero();
        }
    }

    @Test
    void turningRoutingOffWhenTheWindowsCloseRestoresTheSettingsByteForByte() throws Exception {
        try (SharedRouterHarness shared = router()) {
            Files.writeString(shared.claudeSettings, USER_SETTINGS);
            shared.starter.initialize(shared.directory, WhenEditorsClose.KEEP_SERVING);
            SharedRouterHarness.Window second = shared.attach();
            second.initialize(shared.directory, WhenEditorsClose.KEEP_SERVING);
            second.server
                    .getClaudeService()
                    .enable(new ClaudeEnableParams(null, null))
                    .get(20, TimeUnit.SECONDS);
            assertThat(Files.readString(shared.claudeSettings)).isNotEqualTo(USER_SETTINGS);
            // The user changes the setting in the window that stays open longest; its choice counts.
            second.server
                    .getRouterService()
                    .preferencesChanged(
                            new PreferencesChangedParams(new EditorPreferences(WhenEditorsClose.TURN_ROUTING_OFF)));

            shared.starter.close();
            second.editor.awaitStatus(s -> s.editors() == 1);
            assertThat(Files.readString(shared.claudeSettings)).isNotEqualTo(USER_SETTINGS);
            second.close();

            await().atMost(Duration.ofSeconds(15)).until(shared::exited);
            assertThat(Files.readString(shared.claudeSettings)).isEqualTo(USER_SETTINGS);
        }
    }

    @Test
    void withRoutingOffTheRouterExitsOnceTheLastWindowHasGoneButAWindowComingBackKeepsIt() throws Exception {
        try (SharedRouterHarness shared = router()) {
            shared.starter.initialize(shared.directory, WhenEditorsClose.KEEP_SERVING);
            shared.starter.close();
            // A window reloading: it attaches again before the router gives up.
            SharedRouterHarness.Window reloaded = shared.attach();
            reloaded.initialize(shared.directory, WhenEditorsClose.KEEP_SERVING);
            Thread.sleep(LINGER.toMillis() * 3);
            assertThat(shared.exited()).isFalse();

            reloaded.close();
            await().atMost(Duration.ofSeconds(15)).until(shared::exited);
            assertThat(Files.exists(shared.socketPath))
                    .as("the socket is removed")
                    .isFalse();
        }
    }

    @Test
    void routerStopTellsEveryWindowWhyAndEndsTheProcess() throws Exception {
        try (SharedRouterHarness shared = router()) {
            shared.starter.initialize(shared.directory, WhenEditorsClose.KEEP_SERVING);
            SharedRouterHarness.Window second = shared.attach();
            second.initialize(shared.directory, WhenEditorsClose.KEEP_SERVING);

            second.server
                    .getRouterService()
                    .stop(new RouterStopParams(StopReason.STOP_REQUESTED))
                    .get(20, TimeUnit.SECONDS);

            await().atMost(Duration.ofSeconds(15)).until(() -> !shared.starter.editor.exiting.isEmpty());
            assertThat(shared.starter.editor.exiting.get(0).reason()).isEqualTo(StopReason.STOP_REQUESTED);
            assertThat(shared.starter.editor.exiting.get(0).message()).contains("test-window");
            assertThat(shared.router.exited().get(15, TimeUnit.SECONDS)).isZero();
            assertThat(Files.exists(shared.socketPath)).isFalse();
        }
    }

    @Test
    void keysComeFromWhicheverWindowCanAnswer() throws Exception {
        try (SharedRouterHarness shared = router()) {
            // The window asked first cannot read its secret storage: the next one is asked.
            shared.starter.editor.failing = true;
            ServerStatus status = shared.starter
                    .initialize(shared.directory, WhenEditorsClose.KEEP_SERVING)
                    .status();
            SharedRouterHarness.Window second = shared.attach();
            second.editor.keys.put("anthropic", "sk-from-the-second-window");
            second.initialize(shared.directory, WhenEditorsClose.KEEP_SERVING);

            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                assertThat(message(status.baseUrl()).statusCode()).isEqualTo(200);
                assertThat(upstream.lastRequest().header("x-api-key")).isEqualTo("sk-from-the-second-window");
            });
            assertThat(shared.starter.editor.keyQuestions.get()).isPositive();

            // The key changes in the window left open: it says so, and is asked again.
            shared.starter.editor.failing = false;
            shared.starter.editor.keys.put("anthropic", "sk-rotated");
            second.close();
            shared.starter.editor.awaitStatus(s -> s.editors() == 1);
            shared.starter
                    .server
                    .getCredentialsService()
                    .apiKeyChanged(new dev.ccr.protocol.credentials.ApiKeyChangedParams("anthropic"));
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                assertThat(message(status.baseUrl()).statusCode()).isEqualTo(200);
                assertThat(upstream.lastRequest().header("x-api-key")).isEqualTo("sk-rotated");
            });
        }
    }

    @Test
    void keysFromTheWindowsStayWithTheRouterWhenItKeepsServingAfterThemAll() throws Exception {
        try (SharedRouterHarness shared = router()) {
            Files.writeString(shared.claudeSettings, USER_SETTINGS);
            shared.starter.editor.keys.put("anthropic", "sk-from-vscode");
            String baseUrl = shared.starter
                    .initialize(shared.directory, WhenEditorsClose.KEEP_SERVING)
                    .status()
                    .baseUrl();
            shared.starter
                    .server
                    .getClaudeService()
                    .enable(new ClaudeEnableParams(null, null))
                    .get(20, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(10)).until(() -> shared.starter.editor.keyQuestions.get() > 0);

            shared.starter.close();
            Thread.sleep(LINGER.toMillis() * 3);
            assertThat(shared.exited()).isFalse();

            // Claude Code in a terminal, with the placeholder token routing writes: the endpoint's key is the one the
            // window kept, although no request needed it while the window was there.
            HttpResponse<String> answer = Http.post(
                    baseUrl + "/v1/messages",
                    "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":5,\"messages\":[]}",
                    Map.of("content-type", "application/json", "authorization", "Bearer ccr"));
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
            assertThat(upstream.lastRequest().header("x-api-key")).isEqualTo("sk-from-vscode");
        }
    }
}
