package dev.ccr.server.observe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ccr.server.observe.usage.Grouping;
import dev.ccr.server.observe.usage.UsageGroup;
import dev.ccr.server.observe.usage.UsageReport;
import dev.ccr.server.testing.ClaudeCli;
import dev.ccr.server.testing.FakeKeys;
import dev.ccr.server.testing.FakeUpstream;
import dev.ccr.server.testing.RouterFixture;
import dev.ccr.server.testing.ScriptedAnthropic;
import java.nio.file.Path;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real Claude Code CLI as the client: its session is counted under the id it sends, and the router's cost for the
 * session agrees with the cost Claude Code itself reports for the same tokens.
 */
class ClaudeCodeUsageIT {
    @TempDir
    Path home;

    @TempDir
    Path project;

    @Test
    void aSessionIsCountedUnderItsIdAndCostsWhatClaudeCodeSays() throws Exception {
        try (FakeUpstream upstream = FakeUpstream.start().respond(new ScriptedAnthropic());
                RouterFixture router = RouterFixture.start(
                        RouterFixture.anthropicConfig(upstream.baseUrl(), FakeKeys.anthropic("k-0123456789")))) {
            ClaudeCli.Run run = ClaudeCli.print(
                    project,
                    ClaudeCli.environment(home, router.baseUrl(), "ccr"),
                    "[tool] run the marker command",
                    "--allowedTools",
                    "Bash",
                    "--model",
                    "claude-sonnet-4-5");
            assertThat(run.exitCode()).as(run.stdout() + run.stderr()).isZero();
            JsonNode result = run.json();
            System.out.println("Claude Code reported: usage " + result.path("usage") + ", total_cost_usd "
                    + result.path("total_cost_usd"));
            String session = result.path("session_id").asText();
            assertThat(session).isNotBlank();

            long answered = upstream.requests().stream()
                    .filter(r -> r.path().equals("/v1/messages"))
                    .count();
            ObservabilityTest.awaitRecorded(
                    router,
                    upstream.requests().stream()
                            .filter(r -> r.path().startsWith("/v1/messages"))
                            .count());
            LocalDate today = LocalDate.now();
            UsageReport bySession = router.runtime()
                    .stats()
                    .usage(today, today, Grouping.SESSION, null)
                    .orElseThrow();
            UsageGroup counted = bySession.groups().stream()
                    .filter(g -> g.name().equals(session))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("session " + session + " not in " + bySession.groups()));
            assertThat(counted.usage().requests()).isGreaterThanOrEqualTo(answered);
            assertThat(counted.usage().outputTokens())
                    .isEqualTo(result.path("usage").path("output_tokens").asLong());
            assertThat(counted.usage().costUsd()).isPositive();
            assertThat(counted.usage().costUsd())
                    .as("Claude Code's total_cost_usd for the same session")
                    .isCloseTo(result.path("total_cost_usd").asDouble(), within(1e-6));
        }
    }
}
