package dev.ccr.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ccr.server.json.Json;
import dev.ccr.server.testing.ClaudeCli;
import dev.ccr.server.testing.FakeUpstream;
import dev.ccr.server.testing.RecordedRequest;
import dev.ccr.server.testing.RouterFixture;
import dev.ccr.server.testing.ScenarioModel;
import dev.ccr.server.testing.ScenarioModel.Format;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every CLI scenario on both installed Claude Code versions, through an Anthropic, an OpenAI-format and a Gemini
 * endpoint: a plain prompt, {@code --bare}, a tool loop, parallel tool calls, thinking, and thinking before a tool
 * call. The endpoint is the router's default, as users set it up ("GLM for the main model"), so Claude Code sends its
 * own Claude model ids and keeps its full behaviour. What the user relies on is asserted: the answer, the tool really
 * run and its output sent back, and the thinking text as the model wrote it, shown by the CLI.
 */
class ClaudeCodeScenariosIT {
    /** What the user types, and the flags it needs. */
    enum Scenario {
        PLAIN("say hi"),
        BARE("say hi", "--bare"),
        TOOL("[tool] run the marker command", "--allowedTools", "Bash"),
        PARALLEL_TOOLS("[parallel] run both marker commands", "--allowedTools", "Bash"),
        THINKING("[think] think, then answer"),
        THINKING_TOOL("[think] [tool] think, then run the marker command", "--allowedTools", "Bash");

        final String prompt;
        final List<String> flags;

        Scenario(String prompt, String... flags) {
            this.prompt = prompt;
            this.flags = List.of(flags);
        }

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT).replace('_', ' ');
        }
    }

    static Stream<Arguments> matrix() {
        List<Arguments> cases = new ArrayList<>();
        for (ClaudeCli.Version version : ClaudeCli.Version.values()) {
            for (Format format : Format.values()) {
                for (Scenario scenario : Scenario.values()) {
                    cases.add(Arguments.of(version, format, scenario));
                }
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} via {1}: {2}")
    @MethodSource("matrix")
    void theScenarioWorksThroughTheRouter(ClaudeCli.Version version, Format format, Scenario scenario)
            throws Exception {
        try (FakeUpstream upstream = FakeUpstream.start().respond(new ScenarioModel(format));
                RouterFixture router = RouterFixture.start(config(format, upstream))) {
            List<JsonNode> events = run(version, router, scenario);
            JsonNode result = events.get(events.size() - 1);

            assertThat(result.path("type").asText()).isEqualTo("result");
            assertThat(result.path("is_error").asBoolean())
                    .as(result.toString())
                    .isFalse();
            assertThat(result.path("result").asText()).isEqualTo(expectedAnswer(scenario));
            switch (scenario) {
                case TOOL -> assertToolOutputWentBack(upstream, format, List.of(ScenarioModel.TOOL_MARKER));
                case PARALLEL_TOOLS ->
                    assertToolOutputWentBack(
                            upstream, format, List.of(ScenarioModel.PARALLEL_A, ScenarioModel.PARALLEL_B));
                case THINKING -> assertThinkingShown(events);
                case THINKING_TOOL -> {
                    assertThinkingShown(events);
                    assertToolOutputWentBack(upstream, format, List.of(ScenarioModel.TOOL_MARKER));
                    assertThinkingWentBack(upstream, format);
                }
                default -> {}
            }
        }
    }

    private static String expectedAnswer(Scenario scenario) {
        return switch (scenario) {
            case PLAIN, BARE -> ScenarioModel.PLAIN_ANSWER;
            case THINKING -> ScenarioModel.THOUGHT_ANSWER;
            case TOOL, THINKING_TOOL -> ScenarioModel.RESULT_PREFIX + ScenarioModel.TOOL_MARKER;
            case PARALLEL_TOOLS ->
                ScenarioModel.RESULT_PREFIX + ScenarioModel.PARALLEL_A + ", " + ScenarioModel.PARALLEL_B;
        };
    }

    /** The endpoint of this format is the router's default; translated ones name the model they serve. */
    static String config(Format format, FakeUpstream upstream) {
        String type = format.name().toLowerCase(Locale.ROOT);
        String models = format == Format.ANTHROPIC ? "" : ", \"models\": [\"" + type + "-scenario-model\"]";
        return """
                {
                  "endpoints": [
                    { "name": "%1$s", "type": "%1$s", "baseUrl": "%2$s", "apiKey": "%3$s"%4$s }
                  ],
                  "defaultEndpoint": "%1$s"
                }
                """
                .formatted(type, upstream.baseUrl(), "test-key-" + type, models);
    }

    /** Runs the CLI with stream-json output, which shows every message (thinking blocks included), one per line. */
    static List<JsonNode> run(ClaudeCli.Version version, RouterFixture router, Scenario scenario)
            throws IOException, InterruptedException {
        Path home = Files.createTempDirectory("ccr-claude-home");
        Path work = Files.createTempDirectory("ccr-claude-work");
        List<String> command = new ArrayList<>(List.of(
                version.executable().toString(), "-p", scenario.prompt, "--output-format", "stream-json", "--verbose"));
        command.addAll(scenario.flags);
        ClaudeCli.Run run = ClaudeCli.run(work, ClaudeCli.environment(home, router.baseUrl(), "ccr"), command);
        assertThat(run.exitCode())
                .as("%s: stdout %s stderr %s", version, run.stdout(), run.stderr())
                .isZero();
        List<JsonNode> events = new ArrayList<>();
        for (String line : run.stdout().split("\n")) {
            if (!line.isBlank()) {
                events.add(Json.MAPPER.readTree(line));
            }
        }
        assertThat(events).as(run.stdout()).isNotEmpty();
        return events;
    }

    private static void assertThinkingShown(List<JsonNode> events) {
        List<String> thoughts = new ArrayList<>();
        for (JsonNode event : events) {
            if (event.path("type").asText().equals("assistant")) {
                for (JsonNode block : event.path("message").path("content")) {
                    if (block.path("type").asText().equals("thinking")) {
                        thoughts.add(block.path("thinking").asText());
                    }
                }
            }
        }
        assertThat(thoughts).as("the thinking the CLI shows").contains(ScenarioModel.THINKING);
    }

    /** The request after the tool ran carries each output in the format's tool-result slot. */
    private static void assertToolOutputWentBack(FakeUpstream upstream, Format format, List<String> outputs)
            throws IOException {
        JsonNode followUp = followUp(upstream, format);
        List<String> returned = new ArrayList<>();
        switch (format) {
            case ANTHROPIC -> {
                JsonNode messages = followUp.path("messages");
                for (JsonNode block : messages.path(messages.size() - 1).path("content")) {
                    if (block.path("type").asText().equals("tool_result")) {
                        returned.add(block.toString());
                    }
                }
            }
            case OPENAI -> {
                for (JsonNode message : followUp.path("messages")) {
                    if (message.path("role").asText().equals("tool")) {
                        returned.add(message.path("content").asText());
                    }
                }
            }
            case GEMINI -> {
                JsonNode contents = followUp.path("contents");
                for (JsonNode part : contents.path(contents.size() - 1).path("parts")) {
                    if (part.has("functionResponse")) {
                        returned.add(part.toString());
                    }
                }
            }
        }
        assertThat(returned).hasSize(outputs.size());
        for (String output : outputs) {
            assertThat(returned).anySatisfy(slot -> assertThat(slot).contains(output));
        }
    }

    /**
     * The thinking comes back on the next turn as the format needs it: Anthropic's thinking block with its signature
     * verbatim, Gemini's thought signature on the function call it belonged to. (An OpenAI-format upstream gets
     * reasoning back only where its provider wants it, which is not the default.)
     */
    private static void assertThinkingWentBack(FakeUpstream upstream, Format format) throws IOException {
        JsonNode followUp = followUp(upstream, format);
        switch (format) {
            case ANTHROPIC -> {
                JsonNode messages = followUp.path("messages");
                JsonNode assistant = messages.path(messages.size() - 2);
                JsonNode thinking = assistant.path("content").path(0);
                assertThat(thinking.path("type").asText()).isEqualTo("thinking");
                assertThat(thinking.path("thinking").asText()).isEqualTo(ScenarioModel.THINKING);
                assertThat(thinking.path("signature").asText()).isEqualTo(ScenarioModel.SIGNATURE);
            }
            case GEMINI -> {
                JsonNode contents = followUp.path("contents");
                JsonNode call = contents.path(contents.size() - 2).path("parts").findParent("functionCall");
                assertThat(call).as(followUp.toString()).isNotNull();
                assertThat(call.path("thoughtSignature").asText()).isEqualTo(ScenarioModel.SIGNATURE);
            }
            case OPENAI -> {}
        }
    }

    private static JsonNode followUp(FakeUpstream upstream, Format format) throws IOException {
        String slot =
                switch (format) {
                    case ANTHROPIC -> "\"tool_result\"";
                    case OPENAI -> "\"tool_call_id\"";
                    case GEMINI -> "\"functionResponse\"";
                };
        RecordedRequest request = upstream.requests().stream()
                .filter(r -> r.bodyText().contains(slot))
                .reduce((first, second) -> second)
                .orElseThrow(() -> new AssertionError("no request carried a tool result; requests: "
                        + upstream.requests().size()));
        return Json.MAPPER.readTree(request.bodyText());
    }
}
