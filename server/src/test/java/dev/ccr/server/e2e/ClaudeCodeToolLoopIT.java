package dev.ccr.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ccr.server.json.Json;
import dev.ccr.server.testing.ClaudeCli;
import dev.ccr.server.testing.FakeUpstream;
import dev.ccr.server.testing.RecordedRequest;
import dev.ccr.server.testing.RouterFixture;
import dev.ccr.server.testing.ToolLoopModel;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The real Claude Code CLI runs a full tool loop (the model calls Bash, the CLI runs it, the model reads the output)
 * through one router against three upstreams of different formats: OpenAI chat completions, Gemini and Anthropic,
 * each a fake of the project's own, picked by explicit ids, by the id {@code /v1/models} lists and by a scenario route.
 * Run offline as CLAUDE-CODE-FACTS describes (throw-away HOME, every DISABLE_*).
 */
class ClaudeCodeToolLoopIT {
    private static FakeUpstream openai;
    private static FakeUpstream gemini;
    private static FakeUpstream anthropic;
    private static RouterFixture router;

    @BeforeAll
    static void start() {
        openai = FakeUpstream.start().respond(ToolLoopModel.openAi("ccr-marker-openai"));
        gemini = FakeUpstream.start().respond(ToolLoopModel.gemini("ccr-marker-gemini"));
        anthropic = FakeUpstream.start().respond(ToolLoopModel.anthropic("ccr-marker-anthropic"));
        router = RouterFixture.start(
                """
                {
                  "endpoints": [
                    { "name": "anthropic", "type": "anthropic", "baseUrl": "%s", "apiKey": "sk-ant-fake" },
                    { "name": "openai", "type": "openai", "baseUrl": "%s", "apiKey": "sk-openai-fake",
                      "models": ["gpt-fake"] },
                    { "name": "gemini", "type": "gemini", "baseUrl": "%s", "apiKey": "gemini-fake",
                      "models": ["gemini-fake"] }
                  ],
                  "defaultEndpoint": "anthropic",
                  "routes": { "background": "gemini,gemini-fake" }
                }
                """
                        .formatted(anthropic.baseUrl(), openai.baseUrl(), gemini.baseUrl()));
    }

    @AfterAll
    static void stop() {
        router.close();
        openai.close();
        gemini.close();
        anthropic.close();
    }

    @ParameterizedTest
    @EnumSource(ClaudeCli.Version.class)
    void toolLoopThroughEveryFormatInOneRouter(ClaudeCli.Version version) throws Exception {
        JsonNode viaOpenAi = claude(version, "openai,gpt-fake");
        assertThat(viaOpenAi.path("result").asText()).contains("The command printed ccr-marker-openai");
        RecordedRequest openAiFollowUp = withToolOutput(openai, "ccr-marker-openai");
        JsonNode toolMessage = Json.MAPPER
                .readTree(openAiFollowUp.bodyText())
                .path("messages")
                .findParents("tool_call_id")
                .get(0);
        assertThat(toolMessage.path("tool_call_id").asText()).isEqualTo("call_marker");
        assertThat(openAiFollowUp.header("authorization")).isEqualTo("Bearer sk-openai-fake");

        // The id /v1/models lists routes too; and the Gemini thought signature makes the round trip through the CLI.
        JsonNode viaGemini = claude(version, "claude-ccr/gemini/gemini-fake");
        assertThat(viaGemini.path("result").asText()).contains("The command printed ccr-marker-gemini");
        RecordedRequest geminiFollowUp = withToolOutput(gemini, "ccr-marker-gemini");
        assertThat(geminiFollowUp.path()).isEqualTo("/v1/models/gemini-fake:streamGenerateContent");
        JsonNode call = Json.MAPPER
                .readTree(geminiFollowUp.bodyText())
                .path("contents")
                .findParents("functionCall")
                .get(0);

        assertThat(call.path("thoughtSignature").asText()).isEqualTo("gemini-signature-ccr-marker-gemini");

        // A Claude model name routed by scenario: Claude Code keeps thinking blocks for it, and the route holds.
        int before = gemini.requests().size();
        JsonNode viaRoute = claude(version, "claude-haiku-4-5");
        assertThat(viaRoute.path("result").asText()).contains("The command printed ccr-marker-gemini");
        assertThat(gemini.requests().size()).isGreaterThan(before + 1);

        JsonNode viaAnthropic = claude(version, "claude-sonnet-4-5");
        assertThat(viaAnthropic.path("result").asText()).contains("The command printed ccr-marker-anthropic");
        assertThat(withToolOutput(anthropic, "ccr-marker-anthropic").header("x-api-key"))
                .isEqualTo("sk-ant-fake");
    }

    /** The request that carried the tool's output back, which proves the CLI really ran the tool. */
    private static RecordedRequest withToolOutput(FakeUpstream upstream, String marker) {
        return upstream.requests().stream()
                .filter(r -> r.bodyText().contains(marker) && !r.bodyText().contains("echo " + marker + "\\n"))
                .filter(r -> r.bodyText().matches("(?s).*(tool_call_id|functionResponse|tool_result).*"))
                .reduce((first, second) -> second)
                .orElseThrow(() -> new AssertionError("no request carried the output of the tool; requests: "
                        + upstream.requests().size()));
    }

    private static JsonNode claude(ClaudeCli.Version version, String model) throws Exception {
        Path home = Files.createTempDirectory("ccr-claude-home");
        Path work = Files.createTempDirectory("ccr-claude-work");
        ClaudeCli.Run run = version.print(
                work,
                ClaudeCli.environment(home, router.baseUrl(), "test-token"),
                ToolLoopModel.PROMPT,
                "--allowedTools",
                "Bash",
                "--model",
                model);
        assertThat(run.exitCode())
                .as("claude via %s: stdout %s stderr %s", model, run.stdout(), run.stderr())
                .isZero();
        JsonNode output = run.json();
        assertThat(output.path("is_error").asBoolean()).as(run.stdout()).isFalse();
        return output;
    }
}
