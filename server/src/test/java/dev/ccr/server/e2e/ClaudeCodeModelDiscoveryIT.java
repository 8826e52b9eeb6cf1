package dev.ccr.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ccr.server.json.Json;
import dev.ccr.server.testing.ClaudeCli;
import dev.ccr.server.testing.FakeKeys;
import dev.ccr.server.testing.FakeUpstream;
import dev.ccr.server.testing.RecordedRequest;
import dev.ccr.server.testing.RouterFixture;
import dev.ccr.server.testing.ScenarioModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Claude Code's gateway model discovery through the router, with the seed config (one Anthropic endpoint that names no
 * models): the real CLI asks {@code GET /v1/models?limit=1000} at start and keeps what it got for its {@code /model}
 * picker in {@code ~/.claude/cache/gateway-models.json}. The latest CLI does this in a print run; 2.1.197 only from
 * its interactive picker.
 */
class ClaudeCodeModelDiscoveryIT {
    private static final String UPSTREAM_LIST =
            """
            {"data":[{"type":"model","id":"claude-opus-5-5","display_name":"Claude Opus 5.5",
              "created_at":"2026-05-01T00:00:00Z"},{"type":"model","id":"claude-sonnet-5-5",
              "display_name":"Claude Sonnet 5.5","created_at":"2026-05-01T00:00:00Z"}],
             "has_more":false,"first_id":"claude-opus-5-5","last_id":"claude-sonnet-5-5"}
            """;

    @Test
    void theCliSeesTheUpstreamsModelsThroughAnEndpointThatDeclaresNone() throws Exception {
        ScenarioModel model = new ScenarioModel(ScenarioModel.Format.ANTHROPIC);
        CompletableFuture<Void> listed = new CompletableFuture<>();
        try (FakeUpstream upstream = FakeUpstream.start();
                RouterFixture router = RouterFixture.start(
                        RouterFixture.anthropicConfig(upstream.baseUrl(), FakeKeys.anthropic("discovery-key")))) {
            upstream.respond((request, response) -> {
                if (request.method().equals("GET") && request.path().equals("/v1/models")) {
                    response.putHeader("content-type", "application/json").end(UPSTREAM_LIST);
                    listed.complete(null);
                } else {
                    // The CLI asks for the list in the background and a print run ends with its answer: the answer
                    // waits until the list went out, and a little more, so the CLI has the list before it exits.
                    listed.thenRun(() -> upstream.vertx().setTimer(2_000, id -> model.accept(request, response)));
                }
            });
            Path home = Files.createTempDirectory("ccr-claude-home");
            Path work = Files.createTempDirectory("ccr-claude-work");
            Map<String, String> environment = new HashMap<>(ClaudeCli.environment(home, router.baseUrl(), "ccr"));
            environment.put("CLAUDE_CODE_ENABLE_GATEWAY_MODEL_DISCOVERY", "1");

            ClaudeCli.Run run = ClaudeCli.Version.LATEST.print(work, environment, "say hi");

            assertThat(run.exitCode()).as(run.stdout() + run.stderr()).isZero();
            List<RecordedRequest> lists = upstream.requests().stream()
                    .filter(r -> r.method().equals("GET"))
                    .toList();
            assertThat(lists).hasSize(1);
            assertThat(lists.get(0).header("x-api-key")).isEqualTo(FakeKeys.anthropic("discovery-key"));
            Path cache;
            try (Stream<Path> files = Files.walk(home)) {
                cache = files.filter(p -> p.getFileName().toString().equals("gateway-models.json"))
                        .findFirst()
                        .orElseThrow(() -> new AssertionError("the CLI kept no gateway model list under " + home));
            }
            JsonNode kept = Json.MAPPER.readTree(cache.toFile());
            assertThat(kept.path("models").findValuesAsText("id"))
                    .containsExactly("claude-opus-5-5", "claude-sonnet-5-5");
            assertThat(kept.path("models").findValuesAsText("display_name"))
                    .containsExactly("Claude Opus 5.5", "Claude Sonnet 5.5");
        }
    }
}
