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
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The real Claude Code CLI, set up as claude-code-router's {@code ccr code} sets it up (its APIKEY as the auth token),
 * through a ccr started on that project's config file: a tool loop on the Router's default provider and on a
 * {@code provider,model} picked with {@code --model}, each in its provider's format.
 */
class ClaudeCodeOnClaudeCodeRouterConfigIT {
    private static final String ROUTER_KEY = "fake-router-secret-1234";

    private static FakeUpstream deepseek;
    private static FakeUpstream gemini;
    private static RouterFixture router;

    @BeforeAll
    static void start() {
        deepseek = FakeUpstream.start().respond(ToolLoopModel.openAi("ccr-marker-deepseek"));
        gemini = FakeUpstream.start().respond(ToolLoopModel.gemini("ccr-marker-gemini"));
        router = RouterFixture.start(
                """
                {
                  "APIKEY": "%s",
                  "Providers": [
                    { "name": "deepseek", "api_base_url": "http://127.0.0.1:%d/chat/completions",
                      "api_key": "$DEEPSEEK_API_KEY", "models": ["deepseek-chat", "deepseek-reasoner"],
                      "transformer": { "use": ["deepseek"] } },
                    { "name": "gemini", "api_base_url": "http://127.0.0.1:%d/v1beta/models/",
                      "api_key": "fake-gemini-key", "models": ["gemini-2.5-flash"],
                      "transformer": { "use": ["gemini"] } }
                  ],
                  "Router": { "default": "deepseek,deepseek-chat", "background": "deepseek,deepseek-chat" }
                }
                """
                        .formatted(ROUTER_KEY, deepseek.port(), gemini.port()),
                Map.of("DEEPSEEK_API_KEY", "sk-fake-deepseek"),
                false);
    }

    @AfterAll
    static void stop() {
        router.close();
        deepseek.close();
        gemini.close();
    }

    @Test
    void claudeCodeRunsAToolLoopOnTheDefaultProviderAndOnAProviderModelItPicks() throws Exception {
        assertThat(claude(null).path("result").asText()).contains("The command printed ccr-marker-deepseek");
        RecordedRequest followUp = withToolOutput(deepseek, "ccr-marker-deepseek");
        assertThat(followUp.path()).isEqualTo("/chat/completions");
        assertThat(followUp.header("authorization")).isEqualTo("Bearer sk-fake-deepseek");
        JsonNode body = Json.MAPPER.readTree(followUp.bodyText());
        assertThat(body.path("model").asText()).isEqualTo("deepseek-chat");
        assertThat(body.path("max_tokens").asInt())
                .as("Claude Code asks for more; the deepseek transformer caps it")
                .isEqualTo(8192);

        assertThat(claude("gemini,gemini-2.5-flash").path("result").asText())
                .contains("The command printed ccr-marker-gemini");
        RecordedRequest geminiFollowUp = withToolOutput(gemini, "ccr-marker-gemini");
        assertThat(geminiFollowUp.path()).isEqualTo("/v1beta/models/gemini-2.5-flash:streamGenerateContent");
        assertThat(geminiFollowUp.header("x-goog-api-key")).isEqualTo("fake-gemini-key");
    }

    /** The request that carried the tool's output back, which proves the CLI really ran the tool. */
    private static RecordedRequest withToolOutput(FakeUpstream upstream, String marker) {
        return upstream.requests().stream()
                .filter(r -> r.bodyText().contains(marker) && !r.bodyText().contains("echo " + marker + "\\n"))
                .filter(r -> r.bodyText().matches("(?s).*(tool_call_id|functionResponse).*"))
                .reduce((first, second) -> second)
                .orElseThrow(() -> new AssertionError("no request carried the output of the tool; requests: "
                        + upstream.requests().size()));
    }

    private static JsonNode claude(String model) throws Exception {
        Path home = Files.createTempDirectory("ccr-claude-home");
        Path work = Files.createTempDirectory("ccr-claude-work");
        String[] extra = model == null
                ? new String[] {"--allowedTools", "Bash"}
                : new String[] {"--allowedTools", "Bash", "--model", model};
        ClaudeCli.Run run = ClaudeCli.print(
                work, ClaudeCli.environment(home, router.baseUrl(), ROUTER_KEY), ToolLoopModel.PROMPT, extra);
        assertThat(run.exitCode())
                .as("claude via %s: stdout %s stderr %s", model, run.stdout(), run.stderr())
                .isZero();
        JsonNode output = run.json();
        assertThat(output.path("is_error").asBoolean()).as(run.stdout()).isFalse();
        return output;
    }
}
