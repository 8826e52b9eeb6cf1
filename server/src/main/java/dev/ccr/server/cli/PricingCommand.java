package dev.ccr.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ccr.server.config.ConfigPaths;
import dev.ccr.server.files.AtomicFiles;
import dev.ccr.server.json.Json;
import dev.ccr.server.observe.pricing.FetchedPrices;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ccr pricing update}: fetches LiteLLM's published model price table and keeps it, checked and converted, in
 * the user's ccr folder ({@link FetchedPrices}), where routers read it at start and on each config change. Nothing is
 * fetched at run time: without this command the built-in table applies.
 */
@Command(
        name = "pricing",
        mixinStandardHelpOptions = true,
        versionProvider = CcrCommand.VersionProvider.class,
        description = "Model prices for costs.",
        subcommands = {PricingCommand.Update.class})
final class PricingCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(
            name = "update",
            mixinStandardHelpOptions = true,
            description = {
                "Fetch current model prices (LiteLLM's model_prices_and_context_window.json) into the ccr folder.",
                "Prices in the config's \"pricing\" still win; routers use the new table from their next start or"
                        + " config change."
            })
    static final class Update implements Callable<Integer> {
        static final String DEFAULT_URL =
                "https://raw.githubusercontent.com/BerriAI/litellm/main/model_prices_and_context_window.json";
        /** LiteLLM's table is a few MB; a body far past that is not it. */
        private static final int MAX_BYTES = 32 << 20;

        @Option(
                names = "--url",
                paramLabel = "URL",
                description = "Where to fetch the table (default: LiteLLM's on GitHub; also CCR_PRICES_URL).")
        String url;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            String from = url != null ? url : System.getenv().getOrDefault("CCR_PRICES_URL", DEFAULT_URL);
            URI uri;
            try {
                uri = URI.create(from);
                if (!"https".equals(uri.getScheme()) && !"http".equals(uri.getScheme())) {
                    throw new IllegalArgumentException("not an http(s) URL");
                }
            } catch (IllegalArgumentException e) {
                System.err.println("ccr: --url " + from + " is not an http(s) URL");
                return ExitCodes.USAGE;
            }
            Path file = ConfigPaths.fromEnvironment().home().resolve(FetchedPrices.FILE_NAME);
            byte[] body;
            try {
                body = fetch(uri);
            } catch (IOException e) {
                System.err.println("ccr: could not fetch prices from " + from + ": " + e.getMessage() + "; " + file
                        + " was not changed");
                return ExitCodes.FAILURE;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return ExitCodes.FAILURE;
            }
            ObjectNode converted;
            try {
                JsonNode table;
                try {
                    table = Json.MAPPER.readTree(body);
                } catch (IOException e) {
                    throw new IllegalArgumentException("it is not JSON");
                }
                converted = FetchedPrices.fromLiteLlm(table, from, Instant.now().toString());
            } catch (IllegalArgumentException e) {
                System.err.println("ccr: " + from + " is not a usable price table: " + e.getMessage() + "; " + file
                        + " was not changed");
                return ExitCodes.FAILURE;
            }
            try {
                AtomicFiles.write(
                        file, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(converted), null);
            } catch (IOException e) {
                System.err.println("ccr: cannot write " + file + ": " + e.getMessage());
                return ExitCodes.FAILURE;
            }
            System.out.println("prices of " + converted.path("models").size() + " models from " + from + " saved to "
                    + file + "; running routers use them from their next start or config change");
            return ExitCodes.OK;
        }

        private static byte[] fetch(URI uri) throws IOException, InterruptedException {
            HttpClient http = HttpClient.newBuilder()
                    .connectTimeout(Duration.ofSeconds(10))
                    .followRedirects(HttpClient.Redirect.NORMAL)
                    .build();
            HttpResponse<InputStream> response = http.send(
                    HttpRequest.newBuilder(uri)
                            .timeout(Duration.ofSeconds(60))
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream body = response.body()) {
                if (response.statusCode() != 200) {
                    throw new IOException("HTTP " + response.statusCode());
                }
                byte[] bytes = body.readNBytes(MAX_BYTES + 1);
                if (bytes.length > MAX_BYTES) {
                    throw new IOException("the answer is larger than " + (MAX_BYTES >> 20) + " MiB");
                }
                return bytes;
            }
        }
    }
}
