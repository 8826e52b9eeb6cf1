package dev.ccr.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ccr.server.claude.ClientEnvironment;
import dev.ccr.server.config.ConfigException;
import dev.ccr.server.config.ConfigPaths;
import dev.ccr.server.config.EffectiveConfig;
import dev.ccr.server.json.Json;
import dev.ccr.server.runtime.RunState;
import dev.ccr.server.runtime.RunStateFiles;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code ccr statusline}: the command for Claude Code's {@code statusLine} setting. Claude Code runs it after each
 * change of its state, passing the session as JSON on stdin; it prints one short line: the endpoint and model the
 * session's last request went to, its tokens and cost, from the running router's live stats. It never fails the status
 * line: without a router, or when the router is slow, it says so in the line and exits 0.
 */
@Command(
        name = "statusline",
        mixinStandardHelpOptions = true,
        versionProvider = CcrCommand.VersionProvider.class,
        description = {
            "One line for Claude Code's status line: the session's endpoint, model, tokens and cost through ccr.",
            "Claude Code runs it with its session as JSON on stdin; 'ccr claude enable' sets it up."
        })
final class StatuslineCommand implements Callable<Integer> {
    /** Claude Code redraws often; a status line that waits long shows nothing. */
    private static final Duration ASK_FOR = Duration.ofMillis(1500);
    /** The session JSON is a few KB; more is not Claude Code's. */
    private static final int MAX_INPUT = 1 << 20;

    @Mixin
    ConfigOptions options;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        options.validate(spec);
        String session = sessionId(System.in);
        ConfigPaths paths = ConfigPaths.fromEnvironment();
        EffectiveConfig config;
        try {
            config = options.load(paths).config();
        } catch (ConfigException e) {
            System.out.println("ccr: config has problems (ccr config check)");
            return ExitCodes.OK;
        }
        List<RunState> live = new RunStateFiles(paths.runDirectory()).live();
        Optional<RunState> running = live.stream()
                .filter(s -> s.port() == config.port())
                .findFirst()
                .or(() -> live.stream().findFirst());
        if (running.isEmpty()) {
            System.out.println("ccr: not running (ccr start)");
            return ExitCodes.OK;
        }
        ClientEnvironment client = ClientEnvironment.of(config, running);
        System.out.println(line(running.get(), client.routerToken(), session));
        return ExitCodes.OK;
    }

    /** The session id Claude Code passes, or {@code null} when there is none (run by hand). */
    static String sessionId(InputStream in) {
        try {
            if (System.console() != null) {
                return null; // a terminal, not Claude Code: nothing will arrive
            }
            byte[] bytes = in.readNBytes(MAX_INPUT);
            if (bytes.length == 0) {
                return null;
            }
            JsonNode session = Json.MAPPER.readTree(bytes);
            String id = session == null ? null : session.path("session_id").asText(null);
            return id == null || id.isBlank() ? null : id;
        } catch (IOException e) {
            return null;
        }
    }

    /** The line for this router and session. */
    static String line(RunState router, String token, String session) {
        JsonNode stats;
        JsonNode recent;
        try {
            HttpClient http = HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(ASK_FOR)
                    .build();
            stats = get(http, router.baseUrl() + "/ccr/stats", token);
            recent = get(http, router.baseUrl() + "/ccr/stats/recent?limit=200", token);
        } catch (IOException e) {
            return "ccr " + router.port() + ": not answering";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "ccr " + router.port() + ": not answering";
        }
        JsonNode last = null;
        for (JsonNode request : recent.path("requests")) {
            if (session == null || session.equals(request.path("sessionId").asText(null))) {
                last = request;
                break; // newest first
            }
        }
        if (last == null) {
            return "ccr → " + router.defaultEndpoint() + " · no requests yet";
        }
        JsonNode usage = null;
        if (session != null) {
            for (JsonNode group : stats.path("bySession")) {
                if (session.equals(group.path("name").asText())) {
                    usage = group.path("usage");
                }
            }
        }
        if (usage == null) {
            usage = stats.path("total").path("usage").isMissingNode()
                    ? stats.path("total")
                    : stats.path("total").path("usage");
        }
        StringBuilder out = new StringBuilder("ccr → ")
                .append(last.path("endpoint").asText("?"))
                .append(" · ")
                .append(last.path("upstreamModel")
                        .asText(last.path("requestedModel").asText("?")));
        long input = usage.path("inputTokens").asLong()
                + usage.path("cacheReadTokens").asLong()
                + usage.path("cacheCreationTokens").asLong();
        out.append(" · ")
                .append(Format.tokens(input))
                .append(" in / ")
                .append(Format.tokens(usage.path("outputTokens").asLong()))
                .append(" out · ")
                .append(usage.path("estimatedRequests").asLong() > 0 ? "~" : "")
                .append(Format.usd(usage.path("costUsd").asDouble()))
                .append(usage.path("unpricedRequests").asLong() > 0 ? "+?" : "");
        return out.toString();
    }

    private static JsonNode get(HttpClient http, String url, String token) throws IOException, InterruptedException {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(URI.create(url)).timeout(ASK_FOR).GET();
        if (token != null) {
            request.header("authorization", "Bearer " + token);
        }
        HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != 200) {
            throw new IOException("HTTP " + response.statusCode());
        }
        return Json.MAPPER.readTree(response.body());
    }
}
