package dev.ccr.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ccr.server.json.Json;
import dev.ccr.server.testing.ClaudeCli;
import dev.ccr.server.testing.FakeUpstream;
import dev.ccr.server.testing.Loopback;
import dev.ccr.server.testing.RecordedRequest;
import dev.ccr.server.testing.RouterFixture;
import dev.ccr.server.testing.ScenarioModel;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The request classes and headers each Claude Code version sends (recorded here, listed in docs/ROUTING.md), and the
 * routes they take: a plain prompt and a tool loop, a subagent (the Agent tool), a compaction ({@code /compact}) and a
 * session title, with {@code CLAUDE_CODE_GATEWAY_HINT_HEADERS=1} as {@code ccr claude enable} and {@code ccr code} set
 * it. Each scenario route leads to its own upstream, so where a request lands shows how it was routed.
 *
 * <p>Measured: 2.1.332 labels every request ({@code x-claude-code-request-class} {@code main}, {@code subagent},
 * {@code compaction}, {@code auxiliary}); 2.1.197 labels none, but marks a subagent's requests with {@code
 * x-claude-code-agent-id}.
 */
class ClaudeCodeRequestClassesIT {
    @RegisterExtension
    final Loopback loopback = new Loopback();

    private static final String CLASS = "x-claude-code-request-class";
    private static final String FIRST_PARTY_CLASS = "x-claude-1p-request-class";

    private FakeUpstream main;
    private FakeUpstream agents;
    private FakeUpstream compactor;
    private FakeUpstream background;
    private RouterFixture router;
    private Path home;
    private Path work;

    @BeforeEach
    void start() throws Exception {
        main = loopback.upstream().respond(new ScenarioModel(ScenarioModel.Format.ANTHROPIC));
        agents = loopback.upstream().respond(new ScenarioModel(ScenarioModel.Format.ANTHROPIC));
        compactor = loopback.upstream().respond(new ScenarioModel(ScenarioModel.Format.ANTHROPIC));
        background = loopback.upstream().respond(new ScenarioModel(ScenarioModel.Format.ANTHROPIC));
        router = loopback.router(
                """
                {
                  "endpoints": [
                    { "name": "main", "type": "anthropic", "baseUrl": "%s", "apiKey": "k-main" },
                    { "name": "agents", "type": "anthropic", "baseUrl": "%s", "apiKey": "k-agents" },
                    { "name": "compactor", "type": "anthropic", "baseUrl": "%s", "apiKey": "k-compactor" },
                    { "name": "background", "type": "anthropic", "baseUrl": "%s", "apiKey": "k-background" }
                  ],
                  "defaultEndpoint": "main",
                  "routes": { "subagent": "agents", "compaction": "compactor", "background": "background" }
                }
                """
                        .formatted(main.baseUrl(), agents.baseUrl(), compactor.baseUrl(), background.baseUrl()));
        home = Files.createTempDirectory("ccr-claude-home");
        work = Files.createTempDirectory("ccr-claude-work");
    }

    private Map<String, String> environment() {
        Map<String, String> environment = new HashMap<>(ClaudeCli.environment(home, router.baseUrl(), "ccr"));
        environment.put("CLAUDE_CODE_GATEWAY_HINT_HEADERS", "1");
        return environment;
    }

    private static List<RecordedRequest> messages(FakeUpstream upstream) {
        return upstream.requests().stream()
                .filter(r -> r.path().equals("/v1/messages"))
                .toList();
    }

    private ClaudeCli.Run claude(ClaudeCli.Version version, String prompt, String... extra) throws Exception {
        ClaudeCli.Run run = version.print(work, environment(), prompt, extra);
        assertThat(run.exitCode()).as(run.stdout() + run.stderr()).isZero();
        return run;
    }

    @ParameterizedTest
    @EnumSource(ClaudeCli.Version.class)
    void aPromptAndItsToolLoopAreTheMainConversation(ClaudeCli.Version version) throws Exception {
        claude(version, "[tool] run the marker command", "--allowedTools", "Bash");

        List<RecordedRequest> turns = messages(main);
        assertThat(turns).hasSize(2);
        if (version == ClaudeCli.Version.LATEST) {
            assertThat(turns).allSatisfy(request -> {
                assertThat(request.header(CLASS)).isEqualTo("main");
                assertThat(request.header(FIRST_PARTY_CLASS)).isEqualTo("main");
                assertThat(request.header("x-claude-code-prompt-id")).matches("[0-9a-f-]{36}");
            });
            // One prompt: the same prompt id on every turn of it; after the tool ran, how long it took.
            assertThat(turns.get(1).header("x-claude-code-prompt-id"))
                    .isEqualTo(turns.get(0).header("x-claude-code-prompt-id"));
            assertThat(turns.get(0).header("x-claude-code-prev-tool-durations")).isNull();
            assertThat(turns.get(1).header("x-claude-code-prev-tool-durations")).matches("Bash=\\d+");
        } else {
            assertThat(turns).allSatisfy(request -> assertUnlabelled(request));
        }
        assertThat(turns).allSatisfy(request -> assertThat(request.header("x-claude-code-session-id"))
                .isEqualTo(turns.get(0).header("x-claude-code-session-id")));
    }

    @ParameterizedTest
    @EnumSource(ClaudeCli.Version.class)
    void aSubagentGoesToTheSubagentRoute(ClaudeCli.Version version) throws Exception {
        claude(version, "[agent] delegate the greeting", "--allowedTools", "Agent", "Task");

        List<RecordedRequest> subagent = messages(agents);
        assertThat(subagent).as("the subagent's requests").isNotEmpty();
        assertThat(subagent.get(0).bodyText()).contains(ScenarioModel.SUBAGENT_PROMPT);
        assertThat(subagent).allSatisfy(request -> {
            assertThat(request.header("x-claude-code-agent-id")).matches("[0-9a-f]+");
            if (version == ClaudeCli.Version.LATEST) {
                assertThat(request.header(CLASS)).isEqualTo("subagent");
                assertThat(request.header(FIRST_PARTY_CLASS)).isEqualTo("blocking-subagent");
                assertThat(request.header("x-claude-code-agent-type")).isEqualTo("general-purpose");
            } else {
                assertUnlabelled(request);
            }
        });
        assertThat(messages(main)).allSatisfy(request -> assertThat(request.header("x-claude-code-agent-id"))
                .isNull());
    }

    @ParameterizedTest
    @EnumSource(ClaudeCli.Version.class)
    void aCompactionIsLabelledOnlyByTheLatestVersion(ClaudeCli.Version version) throws Exception {
        claude(version, "say hi");
        claude(version, "say more", "--continue");
        int before = messages(main).size();
        claude(version, "/compact", "--continue");

        if (version == ClaudeCli.Version.LATEST) {
            List<RecordedRequest> compaction = messages(compactor);
            assertThat(compaction).isNotEmpty().allSatisfy(request -> {
                assertThat(request.header(CLASS)).isEqualTo("compaction");
                assertThat(request.header(FIRST_PARTY_CLASS)).isEqualTo("main");
                assertThat(request.header("x-claude-code-compaction")).isEqualTo("manual");
            });
            assertThat(messages(main)).hasSize(before);
        } else {
            // Unlabelled: it is the main model's request, told apart only by its last instruction.
            assertThat(messages(compactor)).isEmpty();
            List<RecordedRequest> all = messages(main);
            RecordedRequest compaction = all.get(all.size() - 1);
            assertThat(all).hasSizeGreaterThan(before);
            assertUnlabelled(compaction);
            assertThat(compaction.bodyText()).contains("Respond with TEXT ONLY");
        }
    }

    @ParameterizedTest
    @EnumSource(ClaudeCli.Version.class)
    void aSessionTitleIsAnAuxiliaryRequestOnTheMainModel(ClaudeCli.Version version) throws Exception {
        String title = sessionTitle(version);
        assertThat(title).isNotBlank();

        FakeUpstream landed = version == ClaudeCli.Version.LATEST ? background : main;
        List<RecordedRequest> requests = messages(landed);
        assertThat(requests).hasSize(1);
        RecordedRequest request = requests.get(0);
        JsonNode body = Json.MAPPER.readTree(request.bodyText());
        // The main model's id, not a Haiku one: the model name alone does not tell a title request apart.
        assertThat(body.path("model").asText()).doesNotContain("haiku");
        assertThat(body.path("tools")).isEmpty();
        assertThat(body.path("output_config").path("format").path("type").asText())
                .isEqualTo("json_schema");
        if (version == ClaudeCli.Version.LATEST) {
            assertThat(request.header(CLASS)).isEqualTo("auxiliary");
            assertThat(request.header(FIRST_PARTY_CLASS)).isEqualTo("summary-extraction");
        } else {
            assertUnlabelled(request);
        }
    }

    private static void assertUnlabelled(RecordedRequest request) {
        assertThat(request.header(CLASS)).isNull();
        assertThat(request.header(FIRST_PARTY_CLASS)).isNull();
        assertThat(request.header("x-claude-code-prompt-id")).isNull();
    }

    /**
     * Asks the CLI for a session title the way editors do, through the SDK control protocol on stdin
     * ({@code generate_session_title}), and waits for its answer before closing stdin.
     */
    private String sessionTitle(ClaudeCli.Version version) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(
                        version.executable().toString(),
                        "-p",
                        "--input-format",
                        "stream-json",
                        "--output-format",
                        "stream-json",
                        "--verbose")
                .directory(work.toFile())
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        builder.environment().remove("ANTHROPIC_API_KEY");
        builder.environment().remove("CLAUDE_CONFIG_DIR");
        builder.environment().putAll(environment());
        Process process = builder.start();
        try {
            CompletableFuture<String> title = CompletableFuture.supplyAsync(() -> {
                try (BufferedReader out =
                        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    List<String> seen = new ArrayList<>();
                    for (String line = out.readLine(); line != null; line = out.readLine()) {
                        seen.add(line);
                        JsonNode event = Json.MAPPER.readTree(line);
                        JsonNode response = event.path("response");
                        if (event.path("type").asText().equals("control_response")
                                && response.path("request_id").asText().equals("title-1")) {
                            return response.path("response").path("title").asText();
                        }
                    }
                    throw new AssertionError("no title answer; the CLI printed " + seen);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            OutputStream in = process.getOutputStream();
            in.write(("{\"type\":\"control_request\",\"request_id\":\"title-1\",\"request\":{\"subtype\":"
                            + "\"generate_session_title\",\"description\":\"Fix the login bug in the auth module\"}}\n")
                    .getBytes(StandardCharsets.UTF_8));
            in.flush();
            String answer = title.get(120, TimeUnit.SECONDS);
            in.close();
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
            return answer;
        } finally {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }
}
