package dev.ccr.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ccr.server.json.Json;
import dev.ccr.server.testing.ClaudeCli;
import dev.ccr.server.testing.FakeKeys;
import dev.ccr.server.testing.FakeUpstream;
import dev.ccr.server.testing.Loopback;
import dev.ccr.server.testing.RecordedRequest;
import dev.ccr.server.testing.RouterFixture;
import dev.ccr.server.testing.ScriptedAnthropic;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The real Claude Code CLI, both installed versions, works through the router to an Anthropic-format upstream: a plain
 * prompt, a tool loop, and a thinking turn whose signature goes back verbatim, with the endpoint's key in place of the
 * client's.
 */
class ClaudeCodeThroughRouterIT {
    @RegisterExtension
    final Loopback loopback = new Loopback();

    private static final String ENDPOINT_KEY = FakeKeys.anthropic("endpoint-0123456789");

    @TempDir
    Path home;

    @TempDir
    Path project;

    private final ScriptedAnthropic model = new ScriptedAnthropic();
    private FakeUpstream upstream;
    private RouterFixture router;

    @BeforeEach
    void start() {
        upstream = loopback.upstream().respond(model);
        router = loopback.router(RouterFixture.anthropicConfig(upstream.baseUrl(), ENDPOINT_KEY));
    }

    private ClaudeCli.Run claude(ClaudeCli.Version version, String prompt, String... extra) throws Exception {
        return version.print(project, ClaudeCli.environment(home, router.baseUrl(), "ccr"), prompt, extra);
    }

    private List<RecordedRequest> messageRequests() {
        return upstream.requests().stream()
                .filter(r -> r.path().equals("/v1/messages"))
                .toList();
    }

    @ParameterizedTest
    @EnumSource(ClaudeCli.Version.class)
    void aPlainPromptIsAnsweredThroughTheRouter(ClaudeCli.Version version) throws Exception {
        ClaudeCli.Run run = claude(version, "say hi");

        assertThat(run.exitCode()).as(run.stdout() + run.stderr()).isZero();
        assertThat(run.json().path("is_error").asBoolean()).isFalse();
        assertThat(run.result()).contains("Hello from the scripted upstream.");
        assertThat(messageRequests()).isNotEmpty().allSatisfy(request -> {
            assertThat(request.header("x-api-key")).isEqualTo(ENDPOINT_KEY);
            assertThat(request.header("authorization")).isNull();
            assertThat(request.header("anthropic-version")).isEqualTo("2023-06-01");
            assertThat(request.query()).isEqualTo("beta=true");
            // Every newer field and beta the CLI uses reaches an Anthropic endpoint: there is no allow-list.
            assertThat(request.header("anthropic-beta")).contains("context-management-2025-06-27", "effort-2025-11-24");
            assertThat(request.bodyText()).contains("\"context_management\":", "\"output_config\":");
        });
    }

    @ParameterizedTest
    @EnumSource(ClaudeCli.Version.class)
    void aToolLoopRunsBashAndTheResultGoesBackUpstream(ClaudeCli.Version version) throws Exception {
        ClaudeCli.Run run = claude(version, "[tool] run the marker command", "--allowedTools", "Bash");

        assertThat(run.exitCode()).as(run.stdout() + run.stderr()).isZero();
        assertThat(run.result()).contains("The command printed: " + ScriptedAnthropic.TOOL_MARKER);
        RecordedRequest followUp = messageRequests().stream()
                .filter(r -> r.bodyText().contains("\"tool_result\""))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no request carried the tool result"));
        JsonNode body = Json.MAPPER.readTree(followUp.body().getBytes());
        JsonNode messages = body.path("messages");
        JsonNode assistant = messages.get(messages.size() - 2);
        assertThat(assistant.path("content").findValuesAsText("type")).contains("tool_use");
        assertThat(messages.get(messages.size() - 1)
                        .path("content")
                        .get(0)
                        .path("tool_use_id")
                        .asText())
                .isEqualTo("toolu_01ccr");
    }

    @ParameterizedTest
    @EnumSource(ClaudeCli.Version.class)
    void aThinkingBlocksSignatureComesBackVerbatimOnTheNextTurn(ClaudeCli.Version version) throws Exception {
        ClaudeCli.Run run =
                claude(version, "[think] [tool] think, then run the marker command", "--allowedTools", "Bash");

        assertThat(run.exitCode()).as(run.stdout() + run.stderr()).isZero();
        assertThat(run.result()).contains(ScriptedAnthropic.TOOL_MARKER);
        assertThat(model.signaturesSeen()).isNotEmpty().containsOnly(ScriptedAnthropic.SIGNATURE);
        RecordedRequest followUp = messageRequests().stream()
                .filter(r -> r.bodyText().contains("\"tool_result\""))
                .findFirst()
                .orElseThrow();
        assertThat(followUp.bodyText()).contains("\"thinking\":\"" + ScriptedAnthropic.THINKING + "\"");
    }
}
