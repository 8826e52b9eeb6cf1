package dev.ccr.server.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ccr.server.json.Json;
import dev.ccr.server.observe.pricing.FetchedPrices;
import dev.ccr.server.observe.pricing.PriceBook;
import dev.ccr.server.testing.CcrProcess;
import dev.ccr.server.testing.FakeUpstream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ccr pricing update} against a local server that serves a table in LiteLLM's format (written here, not
 * LiteLLM's own file): the prices are converted, checked, written atomically to the ccr folder and used once read; a
 * bad table leaves the file as it was.
 */
class PricingUpdateIT {
    @TempDir
    Path home;

    /** A table in LiteLLM's shape: per-token prices, modes, provider-prefixed ids, entries to skip. */
    private static String sample() {
        ObjectNode table = Json.object();
        table.putObject("sample_spec").put("mode", "chat").put("input_cost_per_token", "see docs");
        for (int i = 0; i < 25; i++) {
            table.putObject("sample-chat-" + i)
                    .put("litellm_provider", "openai")
                    .put("mode", "chat")
                    .put("input_cost_per_token", 1e-6 * (i + 1))
                    .put("output_cost_per_token", 2e-6 * (i + 1));
        }
        table.putObject("claude-opus-9")
                .put("litellm_provider", "anthropic")
                .put("mode", "chat")
                .put("input_cost_per_token", 3e-6)
                .put("output_cost_per_token", 15e-6)
                .put("cache_creation_input_token_cost", 3.75e-6)
                .put("cache_read_input_token_cost", 0.3e-6);
        table.putObject("deepseek/deepseek-v9")
                .put("mode", "chat")
                .put("input_cost_per_token", 0.5e-6)
                .put("output_cost_per_token", 1e-6);
        table.putObject("text-embedding-9").put("mode", "embedding").put("input_cost_per_token", 1e-7);
        return Json.write(table);
    }

    @Test
    void theTableIsFetchedConvertedAndUsed() throws Exception {
        try (FakeUpstream server = FakeUpstream.start().respondWith(200, "application/json", sample())) {
            CcrProcess ccr = new CcrProcess(home);
            CcrProcess.Result run = ccr.run(60, "pricing", "update", "--url", server.baseUrl() + "/prices.json");

            assertThat(run.exitCode()).as(run.output()).isZero();
            assertThat(run.stdout()).contains("prices of 27 models");
            Path file = ccr.ccrHome().resolve(FetchedPrices.FILE_NAME);
            JsonNode saved = Json.MAPPER.readTree(file.toFile());
            assertThat(saved.path("source").asText()).isEqualTo(server.baseUrl() + "/prices.json");
            JsonNode opus = saved.path("models").path("claude-opus-9");
            assertThat(opus.path("input").asDouble()).isEqualTo(3.0);
            assertThat(opus.path("output").asDouble()).isEqualTo(15.0);
            assertThat(opus.path("cacheWrite").asDouble()).isEqualTo(3.75);
            assertThat(opus.path("cacheRead").asDouble()).isEqualTo(0.3);
            assertThat(saved.path("models").has("deepseek-v9"))
                    .as("a provider's id counts bare")
                    .isTrue();
            assertThat(saved.path("models").has("text-embedding-9")).isFalse();
            assertThat(saved.path("models").has("sample_spec")).isFalse();

            // Read by a price book (as routers do at start): the fetched price wins over the family estimate.
            PriceBook book = PriceBook.of(List.of(), FetchedPrices.load(ccr.ccrHome()));
            var price = book.find("anthropic", "claude-opus-9").orElseThrow();
            assertThat(price.estimated()).isFalse();
            assertThat(price.cost(1_000_000, 0, 0, 0)).isCloseTo(3.0, within(1e-9));
            assertThat(book.find("or", "deepseek/deepseek-v9").orElseThrow().output())
                    .isEqualTo(1.0);
        }
    }

    @Test
    void aBadTableLeavesTheFileAsItWas() throws Exception {
        CcrProcess ccr = new CcrProcess(home);
        Path file = Files.createDirectories(ccr.ccrHome()).resolve(FetchedPrices.FILE_NAME);
        Files.writeString(file, "{\"source\":\"earlier\",\"models\":{}}");
        try (FakeUpstream server = FakeUpstream.start().respondWith(200, "text/html", "<html>Sign in</html>")) {
            CcrProcess.Result html = ccr.run(60, "pricing", "update", "--url", server.baseUrl() + "/prices.json");
            assertThat(html.exitCode()).isEqualTo(1);
            assertThat(html.stderr())
                    .contains("is not a usable price table: it is not JSON")
                    .contains("was not changed");

            server.respondWith(
                    200,
                    "application/json",
                    "{\"gpt-x\":{\"mode\":\"chat\",\"input_cost_per_token\":1e-6,"
                            + "\"output_cost_per_token\":2e-6}}");
            CcrProcess.Result tooFew = ccr.run(60, "pricing", "update", "--url", server.baseUrl() + "/prices.json");
            assertThat(tooFew.exitCode()).isEqualTo(1);
            assertThat(tooFew.stderr()).contains("is not a usable price table: it lists only 1 models");

            server.respondWith(503, "text/plain", "down");
            assertThat(ccr.run(60, "pricing", "update", "--url", server.baseUrl())
                            .stderr())
                    .contains("HTTP 503");
        }
        assertThat(Files.readString(file)).isEqualTo("{\"source\":\"earlier\",\"models\":{}}");
    }
}
