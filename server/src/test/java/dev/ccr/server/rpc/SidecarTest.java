package dev.ccr.server.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.ccr.protocol.ErrorCodes;
import dev.ccr.protocol.ProtocolVersion;
import dev.ccr.protocol.claude.ClaudeDisableParams;
import dev.ccr.protocol.claude.ClaudeEnableParams;
import dev.ccr.protocol.claude.ClaudeSettingsResult;
import dev.ccr.protocol.claude.ClaudeStatusParams;
import dev.ccr.protocol.config.CacheSettings;
import dev.ccr.protocol.config.ConfigChangeResult;
import dev.ccr.protocol.config.ConfigResult;
import dev.ccr.protocol.config.EndpointChangeParams;
import dev.ccr.protocol.config.EndpointSettings;
import dev.ccr.protocol.config.EndpointType;
import dev.ccr.protocol.config.RemoveEndpointParams;
import dev.ccr.protocol.config.SetCacheParams;
import dev.ccr.protocol.config.SetDefaultEndpointParams;
import dev.ccr.protocol.config.SetLimitsParams;
import dev.ccr.protocol.config.SetRoutesParams;
import dev.ccr.protocol.config.ValidateConfigParams;
import dev.ccr.protocol.config.ValidateConfigResult;
import dev.ccr.protocol.credentials.ApiKeyChangedParams;
import dev.ccr.protocol.endpoints.AuthCheck;
import dev.ccr.protocol.endpoints.TestEndpointParams;
import dev.ccr.protocol.endpoints.TestEndpointResult;
import dev.ccr.protocol.lifecycle.InitializeParams;
import dev.ccr.protocol.lifecycle.InitializeResult;
import dev.ccr.protocol.stats.RecentRequestsParams;
import dev.ccr.protocol.stats.StatsSummaryResult;
import dev.ccr.protocol.status.EndpointHealth;
import dev.ccr.protocol.status.ProxyState;
import dev.ccr.protocol.status.RoutingState;
import dev.ccr.protocol.status.ServerStatus;
import dev.ccr.server.testing.FakeUpstream;
import dev.ccr.server.testing.Http;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.eclipse.lsp4j.jsonrpc.ResponseErrorException;
import org.eclipse.lsp4j.jsonrpc.messages.ResponseError;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SidecarTest {
    private FakeUpstream upstream;

    @BeforeEach
    void upstream() {
        upstream = FakeUpstream.start().respond((request, response) -> {
            if (request.path().equals("/v1/models")) {
                boolean authorized = "sk-good".equals(request.header("x-api-key"));
                response.setStatusCode(authorized ? 200 : 401)
                        .putHeader("content-type", "application/json")
                        .end(
                                authorized
                                        ? "{\"data\":[{\"id\":\"claude-a\"},{\"id\":\"claude-b\"}]}"
                                        : "{\"type\":\"error\",\"error\":{\"type\":\"authentication_error\",\"message\":\"invalid"
                                                + " x-api-key\"}}");
                return;
            }
            response.putHeader("content-type", "application/json")
                    .end("{\"id\":\"msg_1\",\"type\":\"message\",\"usage\":{\"input_tokens\":3,\"output_tokens\":2}}");
        });
    }

    @AfterEach
    void stopUpstream() {
        upstream.close();
    }

    private String config() {
        return """
                {
                  "endpoints": [
                    { "name": "anthropic", "type": "anthropic", "baseUrl": "%s" }
                  ]
                }
                """
                .formatted(upstream.baseUrl());
    }

    private static <T> T get(CompletableFuture<T> future) throws Exception {
        return future.get(20, TimeUnit.SECONDS);
    }

    private static ResponseError errorOf(CompletableFuture<?> future) {
        Throwable failure = catchThrowable(() -> future.get(20, TimeUnit.SECONDS));
        assertThat(failure).isInstanceOf(ExecutionException.class);
        assertThat(failure.getCause()).isInstanceOf(ResponseErrorException.class);
        return ((ResponseErrorException) failure.getCause()).getResponseError();
    }

    private static HttpResponse<String> message(ServerStatus status) {
        return Http.post(
                status.baseUrl() + "/v1/messages",
                "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":5,\"messages\":[]}",
                Map.of("content-type", "application/json", "anthropic-version", "2023-06-01"));
    }

    @Test
    void theHandshakeExchangesVersionsAndStartsFromARunningStatus() throws Exception {
        try (SidecarHarness sidecar = SidecarHarness.start(config())) {
            ResponseError early = errorOf(sidecar.server.getConfigService().get());
            assertThat(early.getCode()).isEqualTo(ErrorCodes.SERVER_NOT_INITIALIZED);

            InitializeResult result = sidecar.initialize();

            assertThat(result.protocolVersion()).isEqualTo(ProtocolVersion.CURRENT);
            assertThat(result.processId()).isEqualTo(ProcessHandle.current().pid());
            assertThat(result.capabilities().configSections()).contains("endpoints", "cache", "defaultEndpoint");
            assertThat(result.capabilities().costs()).isTrue();
            ServerStatus status = result.status();
            assertThat(status.proxy()).isEqualTo(ProxyState.RUNNING);
            assertThat(status.baseUrl()).isEqualTo("http://127.0.0.1:" + status.port());
            assertThat(status.routing()).isEqualTo(RoutingState.OFF);
            assertThat(status.endpoints())
                    .extracting(ServerStatus.EndpointStatus::name)
                    .containsExactly("anthropic");
            assertThat(status.configFile()).isEqualTo(sidecar.configFile.toString());
            ResponseError again =
                    errorOf(sidecar.server.initialize(new InitializeParams("1.0", null, null, null, null)));
            assertThat(again.getCode()).isEqualTo(ErrorCodes.INVALID_REQUEST);
        }
    }

    @Test
    void anIncompatibleProtocolVersionIsRefusedClearly() throws Exception {
        try (SidecarHarness sidecar = SidecarHarness.start(config())) {
            ResponseError error =
                    errorOf(sidecar.server.initialize(new InitializeParams("2.3", "future-editor", "9", null, null)));
            assertThat(error.getCode()).isEqualTo(ErrorCodes.INCOMPATIBLE_PROTOCOL_VERSION);
            assertThat(error.getMessage())
                    .isEqualTo("this ccr server speaks protocol " + ProtocolVersion.CURRENT
                            + " and cannot talk to an editor extension speaking"
                            + " 2.3; install matching versions of the ccr extension and server");
            JsonObject data = JsonParser.parseString(error.getData().toString()).getAsJsonObject();
            assertThat(data.get("serverProtocolVersion").getAsString()).isEqualTo(ProtocolVersion.CURRENT);
            assertThat(data.get("clientProtocolVersion").getAsString()).isEqualTo("2.3");
            assertThat(errorOf(sidecar.server.getStatsService().summary()).getCode())
                    .isEqualTo(ErrorCodes.SERVER_NOT_INITIALIZED);
        }
    }

    @Test
    void configChangesAreValidatedWrittenInPlaceAppliedAndPushed() throws Exception {
        try (SidecarHarness sidecar = SidecarHarness.start(config())) {
            sidecar.initialize();
            String before = sidecar.config();

            ConfigChangeResult added = get(sidecar.server
                    .getConfigService()
                    .addEndpoint(new EndpointChangeParams(
                            new EndpointSettings(
                                    "glm",
                                    EndpointType.OPENAI,
                                    "https://open.bigmodel.cn/api/paas/v4",
                                    null,
                                    Map.of("X-Title", "ccr"),
                                    null,
                                    List.of("glm-4.6"),
                                    null),
                            false)));

            assertThat(added.applied()).isTrue();
            assertThat(sidecar.config())
                    .isEqualTo(before.replace(
                            "\" }\n  ]",
                            "\" },\n    {\n      \"name\": \"glm\",\n      \"type\": \"openai\",\n      \"baseUrl\":"
                                    + " \"https://open.bigmodel.cn/api/paas/v4\",\n      \"headers\": {\n"
                                    + "        \"X-Title\": \"ccr\"\n      },\n      \"models\": [\n"
                                    + "        \"glm-4.6\"\n      ]\n    }\n  ]"));
            // applied before the answer: the pushed status and config already name it
            sidecar.editor.awaitStatus(s -> s.endpoints().size() == 2);
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> sidecar.editor.configs.stream()
                    .anyMatch(c -> c.config().endpoints().size() == 2));
            ConfigResult config = get(sidecar.server.getConfigService().get());
            assertThat(config.endpoints().get(1).headerNames()).containsExactly("X-Title");
            assertThat(config.endpoints().get(1).models()).containsExactly("glm-4.6");

            ResponseError taken = errorOf(sidecar.server
                    .getConfigService()
                    .addEndpoint(new EndpointChangeParams(
                            new EndpointSettings(
                                    "glm", EndpointType.OPENAI, "https://x.example/v1", null, null, null, null, null),
                            false)));
            assertThat(taken.getCode()).isEqualTo(ErrorCodes.ENDPOINT_EXISTS);

            get(sidecar.server
                    .getConfigService()
                    .updateEndpoint(new EndpointChangeParams(
                            new EndpointSettings(
                                    "glm",
                                    null,
                                    "https://api.z.ai/api/paas/v4",
                                    null,
                                    null,
                                    List.of("X-Title"),
                                    null,
                                    null),
                            false)));
            assertThat(sidecar.config())
                    .contains("\"baseUrl\": \"https://api.z.ai/api/paas/v4\",\n      \"models\"")
                    .doesNotContain("X-Title");

            String beforeInvalid = sidecar.config();
            ResponseError invalid = errorOf(
                    sidecar.server.getConfigService().setDefaultEndpoint(new SetDefaultEndpointParams("gml", false)));
            assertThat(invalid.getCode()).isEqualTo(ErrorCodes.CONFIG_INVALID);
            assertThat(invalid.getMessage()).contains("$.defaultEndpoint: no endpoint is named \"gml\"");
            JsonObject problem = JsonParser.parseString(invalid.getData().toString())
                    .getAsJsonObject()
                    .getAsJsonArray("problems")
                    .get(0)
                    .getAsJsonObject();
            assertThat(problem.get("path").getAsString()).isEqualTo("$.defaultEndpoint");
            assertThat(problem.get("line").getAsInt()).isPositive();
            assertThat(sidecar.config()).isEqualTo(beforeInvalid);

            ConfigChangeResult dryRun = get(
                    sidecar.server.getConfigService().setDefaultEndpoint(new SetDefaultEndpointParams("glm", true)));
            assertThat(dryRun.applied()).isFalse();
            assertThat(sidecar.config()).isEqualTo(beforeInvalid);

            get(sidecar.server.getConfigService().setCache(new SetCacheParams(new CacheSettings(true, 600), false)));
            assertThat(get(sidecar.server.getConfigService().get()).cache()).isEqualTo(new CacheSettings(true, 600));

            get(sidecar.server.getConfigService().removeEndpoint(new RemoveEndpointParams("glm", false)));
            assertThat(sidecar.config()).doesNotContain("glm");
            sidecar.editor.awaitStatus(s -> s.endpoints().size() == 1);
            assertThat(errorOf(sidecar.server.getConfigService().removeEndpoint(new RemoveEndpointParams("glm", false)))
                            .getCode())
                    .isEqualTo(ErrorCodes.ENDPOINT_NOT_FOUND);
        }
    }

    @Test
    void sectionsTheConfigModelDoesNotHaveAreRefusedAndOthersWritten() throws Exception {
        try (SidecarHarness sidecar = SidecarHarness.start(config())) {
            InitializeResult init = sidecar.initialize();
            var routes = JsonParser.parseString("{\"background\": \"anthropic,claude-haiku-4-5\"}");
            CompletableFuture<ConfigChangeResult> setRoutes =
                    sidecar.server.getConfigService().setRoutes(new SetRoutesParams(routes, true));
            if (init.capabilities().configSections().contains("routes")) {
                assertThat(get(setRoutes).applied()).isFalse(); // a dry run
            } else {
                ResponseError error = errorOf(setRoutes);
                assertThat(error.getCode()).isEqualTo(ErrorCodes.CONFIG_INVALID);
                assertThat(error.getMessage()).contains("unknown key \"routes\"");
            }
            CompletableFuture<ConfigChangeResult> removeLimits =
                    sidecar.server.getConfigService().setLimits(new SetLimitsParams(null, false));
            assertThat(get(removeLimits).applied()).isFalse(); // there were none: nothing changed
        }
    }

    @Test
    void limitsSetFromTheEditorAreWrittenAndInForceWhenTheAnswerComes() throws Exception {
        try (SidecarHarness sidecar = SidecarHarness.start(config())) {
            assertThat(sidecar.initialize().capabilities().configSections()).contains("limits", "retry", "cache");
            var limits = JsonParser.parseString("{\"default\": {\"requestsPerMinute\": 30}, \"queueMs\": 2000}");
            assertThat(get(sidecar.server.getConfigService().setLimits(new SetLimitsParams(limits, false)))
                            .applied())
                    .isTrue();
            assertThat(sidecar.config()).contains("\"requestsPerMinute\": 30");

            var typo = JsonParser.parseString("{\"default\": {\"requestsPerMinut\": 30}}");
            ResponseError error =
                    errorOf(sidecar.server.getConfigService().setLimits(new SetLimitsParams(typo, false)));
            assertThat(error.getCode()).isEqualTo(ErrorCodes.CONFIG_INVALID);
            assertThat(error.getMessage()).contains("$.limits.default").contains("requestsPerMinut");
            assertThat(sidecar.config()).as("a refused change is not written").contains("\"requestsPerMinute\": 30");
        }
    }

    @Test
    void configTextIsValidatedWithoutBeingWritten() throws Exception {
        try (SidecarHarness sidecar = SidecarHarness.start(config())) {
            sidecar.initialize();
            ValidateConfigResult result = get(sidecar.server
                    .getConfigService()
                    .validate(new ValidateConfigParams("{\n  \"endpoints\": [\n    { \"name\": \"a\", \"type\":"
                            + " \"anthropc\", \"baseUrl\": \"https://api.anthropic.com/v1\" }\n  ]\n}\n")));
            assertThat(result.valid()).isFalse();
            assertThat(result.problems()).hasSize(1);
            assertThat(result.problems().get(0).file()).isNull();
            assertThat(result.problems().get(0).line()).isEqualTo(3);
            assertThat(result.problems().get(0).path()).isEqualTo("$.endpoints[0].type");
            assertThat(get(sidecar.server.getConfigService().validate(new ValidateConfigParams(config())))
                            .valid())
                    .isTrue();
        }
    }

    @Test
    void keysComeFromTheEditorOnceUntilItSaysTheyChanged() throws Exception {
        try (SidecarHarness sidecar = SidecarHarness.start(config())) {
            ServerStatus status = sidecar.initialize().status();
            sidecar.editor.keys.put("anthropic", "sk-editor-1");

            assertThat(message(status).statusCode()).isEqualTo(200);
            assertThat(message(status).statusCode()).isEqualTo(200);
            assertThat(upstream.lastRequest().header("x-api-key")).isEqualTo("sk-editor-1");
            assertThat(sidecar.editor.keyQuestions.get()).isEqualTo(1);

            sidecar.editor.keys.put("anthropic", "sk-editor-2");
            sidecar.server.getCredentialsService().apiKeyChanged(new ApiKeyChangedParams("anthropic"));
            Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                assertThat(message(status).statusCode()).isEqualTo(200);
                assertThat(upstream.lastRequest().header("x-api-key")).isEqualTo("sk-editor-2");
            });
            assertThat(sidecar.editor.keyQuestions.get()).isEqualTo(2);
        }
    }

    @Test
    void anEditorThatDoesNotAnswerFailsTheRequestClearly() throws Exception {
        try (SidecarHarness sidecar = SidecarHarness.start(config(), Duration.ofSeconds(1))) {
            ServerStatus status = sidecar.initialize().status();
            sidecar.editor.silent = true;
            HttpResponse<String> response = message(status);
            assertThat(response.statusCode()).isEqualTo(401);
            assertThat(response.body())
                    .contains("cannot get the API key of endpoint \\\"anthropic\\\" from the editor (the editor did not"
                            + " answer within 1 s)");
            assertThat(upstream.requests()).isEmpty();
        }
    }

    @Test
    void anEndpointTestReportsEachStepAndWhatItFound() throws Exception {
        try (SidecarHarness sidecar = SidecarHarness.start(config())) {
            sidecar.initialize();
            sidecar.editor.keys.put("anthropic", "sk-good");

            TestEndpointResult good = get(
                    sidecar.server.getEndpointService().test(new TestEndpointParams("anthropic", null, null, "t1")));

            assertThat(good.reachable()).isTrue();
            assertThat(good.auth()).isEqualTo(AuthCheck.ACCEPTED);
            assertThat(good.httpStatus()).isEqualTo(200);
            assertThat(good.latencyMillis()).isNotNull();
            assertThat(good.models()).containsExactly("claude-a", "claude-b");
            assertThat(upstream.lastRequest().query()).isEqualTo("limit=1000");
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> sidecar.editor.progress.size() >= 6);
            assertThat(sidecar.editor.progress)
                    .allMatch(
                            p -> p.progressToken().equals("t1") && p.endpoint().equals("anthropic"))
                    .extracting(p -> p.step() + ":" + p.state())
                    .containsExactly(
                            "CREDENTIALS:STARTED",
                            "CREDENTIALS:SUCCEEDED",
                            "CONNECT:STARTED",
                            "CONNECT:SUCCEEDED",
                            "AUTHENTICATE:SUCCEEDED",
                            "LIST_MODELS:SUCCEEDED");
            sidecar.editor.awaitStatus(s -> s.endpoints().get(0).health() == EndpointHealth.HEALTHY);

            TestEndpointResult unsaved = get(sidecar.server
                    .getEndpointService()
                    .test(new TestEndpointParams(
                            null,
                            new EndpointSettings(
                                    "draft", EndpointType.ANTHROPIC, upstream.baseUrl(), null, null, null, null, null),
                            "sk-wrong",
                            null)));
            assertThat(unsaved.auth()).isEqualTo(AuthCheck.REJECTED);
            assertThat(unsaved.message())
                    .contains("HTTP 401: invalid x-api-key")
                    .doesNotContain("sk-wrong");

            int closed;
            try (ServerSocket socket = new ServerSocket(0)) {
                closed = socket.getLocalPort();
            }
            TestEndpointResult down = get(sidecar.server
                    .getEndpointService()
                    .test(new TestEndpointParams(
                            null,
                            new EndpointSettings(
                                    "down",
                                    EndpointType.OPENAI,
                                    "http://127.0.0.1:" + closed + "/v1",
                                    null,
                                    null,
                                    null,
                                    null,
                                    null),
                            null,
                            null)));
            assertThat(down.reachable()).isFalse();
            assertThat(down.message())
                    .isEqualTo("cannot connect to http://127.0.0.1:" + closed
                            + ": connection refused; is the server running?");
            assertThat(errorOf(sidecar.server
                                    .getEndpointService()
                                    .test(new TestEndpointParams("nope", null, null, null)))
                            .getCode())
                    .isEqualTo(ErrorCodes.ENDPOINT_NOT_FOUND);
        }
    }

    @Test
    void requestsAreCountedAndPushed() throws Exception {
        try (SidecarHarness sidecar = SidecarHarness.start(config())) {
            ServerStatus status = sidecar.initialize().status();
            sidecar.editor.keys.put("anthropic", "sk-good");
            assertThat(message(status).statusCode()).isEqualTo(200);

            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !sidecar.editor.completed.isEmpty());
            assertThat(sidecar.editor.completed.get(0).requests().get(0).endpoint())
                    .isEqualTo("anthropic");
            StatsSummaryResult summary = get(sidecar.server.getStatsService().summary());
            assertThat(summary.total().requests()).isEqualTo(1);
            assertThat(summary.total().duration()).isNotNull();
            assertThat(summary.total().costUsd())
                    .as("priced from the built-in table")
                    .isPositive();
            assertThat(summary.byEndpoint()).extracting(g -> g.name()).containsExactly("anthropic");
            var recent = get(sidecar.server.getStatsService().recentRequests(new RecentRequestsParams(10)));
            assertThat(recent.requests()).hasSize(1);
            assertThat(recent.requests().get(0).status()).isEqualTo(200);
        }
    }

    @Test
    void claudeCodeSettingsAreTurnedOnAndOffThroughTheProtocol() throws Exception {
        try (SidecarHarness sidecar = SidecarHarness.start(config())) {
            Files.writeString(sidecar.claudeSettings, "{\n  \"theme\": \"dark\"\n}\n");
            ServerStatus status = sidecar.initialize().status();

            ClaudeSettingsResult enabled =
                    get(sidecar.server.getClaudeService().enable(new ClaudeEnableParams(null, null)));

            assertThat(enabled.enabled()).isTrue();
            assertThat(enabled.routerBaseUrl()).isEqualTo(status.baseUrl());
            assertThat(Files.readString(sidecar.claudeSettings))
                    .contains("\"ANTHROPIC_BASE_URL\": \"" + status.baseUrl() + "\"");
            sidecar.editor.awaitStatus(s -> s.routing() == RoutingState.ON);
            assertThat(get(sidecar.server.getClaudeService().status(new ClaudeStatusParams(null)))
                            .enabled())
                    .isTrue();

            get(sidecar.server.getClaudeService().disable(new ClaudeDisableParams(null)));
            assertThat(Files.readString(sidecar.claudeSettings)).isEqualTo("{\n  \"theme\": \"dark\"\n}\n");
            sidecar.editor.awaitStatus(s -> s.routing() == RoutingState.OFF);

            Files.writeString(sidecar.claudeSettings, "{ broken");
            ResponseError error = errorOf(sidecar.server.getClaudeService().enable(new ClaudeEnableParams(null, null)));
            assertThat(error.getCode()).isEqualTo(ErrorCodes.CLAUDE_SETTINGS_UNREADABLE);
            assertThat(Files.readString(sidecar.claudeSettings)).isEqualTo("{ broken");
        }
    }

    @Test
    void aTakenPortIsReportedInTheStatusAndTheProxyStartsOnceItIsFree() throws Exception {
        ServerSocket blocker = new ServerSocket(0, 50, java.net.InetAddress.getByName("127.0.0.1"));
        int port = blocker.getLocalPort();
        try (SidecarHarness sidecar =
                SidecarHarness.startOnConfiguredPort(config().replace("{\n", "{\n  \"port\": " + port + ",\n"))) {
            ServerStatus status = sidecar.initialize().status();
            assertThat(status.proxy()).isEqualTo(ProxyState.FAILED);
            assertThat(status.port()).isEqualTo(port);
            assertThat(status.lastError())
                    .isEqualTo("port " + port + " on 127.0.0.1 is already in use (is another ccr"
                            + " running? see 'ccr status'); choose another port in the config or with --port");

            blocker.close();
            get(sidecar.server.getConfigService().setCache(new SetCacheParams(new CacheSettings(true, null), false)));
            ServerStatus running = sidecar.editor.awaitStatus(s -> s.proxy() == ProxyState.RUNNING);
            assertThat(running.baseUrl()).isEqualTo("http://127.0.0.1:" + port);
            assertThat(running.lastError()).isNull();
        } finally {
            blocker.close();
        }
    }

    @Test
    void anInvalidConfigKeepsTheSidecarUpAndCanBeFixedThroughIt() throws Exception {
        try (SidecarHarness sidecar = SidecarHarness.start("{\n  \"endpoints\": []\n}\n")) {
            ServerStatus status = sidecar.initialize().status();
            assertThat(status.proxy()).isEqualTo(ProxyState.FAILED);
            assertThat(status.configProblems()).hasSize(1);
            assertThat(status.configProblems().get(0).path()).isEqualTo("$.endpoints");
            assertThat(status.configProblems().get(0).line()).isEqualTo(2);

            get(sidecar.server
                    .getConfigService()
                    .addEndpoint(new EndpointChangeParams(
                            new EndpointSettings(
                                    "anthropic",
                                    EndpointType.ANTHROPIC,
                                    upstream.baseUrl(),
                                    null,
                                    null,
                                    null,
                                    null,
                                    null),
                            false)));

            ServerStatus fixed = sidecar.editor.awaitStatus(s -> s.proxy() == ProxyState.RUNNING);
            assertThat(fixed.configProblems()).isEmpty();
            assertThat(fixed.lastError()).isNull();
        }
    }

    @Test
    void anEditOfTheFileThatBreaksItIsReportedAndTheRunningConfigStays() throws Exception {
        try (SidecarHarness sidecar = SidecarHarness.start(config())) {
            sidecar.initialize();
            Files.writeString(sidecar.configFile, "{\n  \"endpoints\": [\n    { \"name\": \"x\" }\n  ]\n}\n");
            ServerStatus broken =
                    sidecar.editor.awaitStatus(s -> !s.configProblems().isEmpty());
            assertThat(broken.proxy()).isEqualTo(ProxyState.RUNNING);
            assertThat(broken.lastError()).startsWith("config change not applied; the previous config stays in force");
            assertThat(broken.endpoints())
                    .extracting(ServerStatus.EndpointStatus::name)
                    .containsExactly("anthropic");

            Files.writeString(sidecar.configFile, config());
            sidecar.editor.awaitStatus(s -> s.configProblems().isEmpty() && s.lastError() == null);
        }
    }

    @Test
    void shutdownStopsTheProxyAndExitEndsTheSidecar() throws Exception {
        SidecarHarness sidecar = SidecarHarness.start(config());
        ServerStatus status = sidecar.initialize().status();
        get(sidecar.server.shutdown());
        assertThat(catchThrowable(() -> message(status))).isNotNull(); // nothing listens any more
        assertThat(errorOf(sidecar.server.getConfigService().get()).getCode()).isEqualTo(ErrorCodes.SHUTTING_DOWN);
        sidecar.server.exit();
        assertThat(sidecar.sidecar.exited().get(5, TimeUnit.SECONDS)).isZero();
        sidecar.close();
    }

    @Test
    void theEndOfInputEndsTheSidecar() throws Exception {
        SidecarHarness sidecar = SidecarHarness.start(config());
        sidecar.initialize();
        long start = System.nanoTime();
        sidecar.closeInput();
        assertThat(sidecar.sidecar.exited().get(5, TimeUnit.SECONDS)).isZero();
        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(1000);
        sidecar.close();
    }
}
