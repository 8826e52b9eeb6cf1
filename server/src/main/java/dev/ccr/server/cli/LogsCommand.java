package dev.ccr.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ccr.server.config.ConfigPaths;
import dev.ccr.server.observe.log.RequestLogFiles;
import dev.ccr.server.observe.log.RequestLogReader;
import dev.ccr.server.runtime.RunState;
import dev.ccr.server.runtime.RunStateFiles;
import java.io.PrintStream;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Predicate;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code ccr logs}: the request log, one line per request, as it was or as it grows. */
@Command(
        name = "logs",
        mixinStandardHelpOptions = true,
        versionProvider = CcrCommand.VersionProvider.class,
        description = {
            "Show the request log: one line per request (time, status, endpoint and model, time taken, tokens, cost,"
                    + " session, request id).",
            "Reads ~/.claude-code-router/logs/requests-<port>.jsonl; works whether or not the router runs."
        })
final class LogsCommand implements Callable<Integer> {
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());

    @Option(
            names = {"-n", "--lines"},
            paramLabel = "N",
            defaultValue = "20",
            description = "How many of the latest requests to show (default ${DEFAULT-VALUE}).")
    int lines;

    @Option(
            names = {"-f", "--follow"},
            description = "Keep printing requests as they finish, until Ctrl-C.")
    boolean follow;

    @Option(
            names = "--status",
            paramLabel = "STATUS",
            description = "Only requests with this status: a code (429), a class (4xx, 5xx), 'error' or 'ok'.")
    String status;

    @Option(
            names = "--session",
            paramLabel = "ID",
            description = "Only this Claude Code session (a prefix of its id is enough).")
    String session;

    @Option(
            names = {"-p", "--port"},
            paramLabel = "N",
            description = "The router's port (default: the running router's, else the latest log written).")
    Integer port;

    @Option(names = "--json", description = "Print the log's JSON lines as they are.")
    boolean json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (lines < 0) {
            throw new ParameterException(spec.commandLine(), "--lines must be 0 or more");
        }
        Predicate<JsonNode> filter = statusFilter(status).and(sessionFilter(session));
        ConfigPaths paths = ConfigPaths.fromEnvironment();
        Optional<Integer> chosen = port != null ? Optional.of(port) : defaultPort(paths);
        if (chosen.isEmpty()) {
            System.out.println("No request log yet in " + paths.logDirectory()
                    + ": the router writes one line per request there once it serves requests.");
            return ExitCodes.OK;
        }
        RequestLogFiles files = new RequestLogFiles(paths.logDirectory(), chosen.get());
        RequestLogReader reader = new RequestLogReader(files);
        PrintStream out = System.out;
        for (JsonNode line : reader.tail(lines, filter)) {
            print(out, line);
        }
        out.flush();
        if (follow) {
            reader.follow(
                    filter,
                    line -> {
                        print(out, line);
                        out.flush();
                    },
                    () -> !out.checkError(),
                    // On stderr, so that stdout stays the log itself (for pipes into jq or grep).
                    () -> System.err.println("ccr: following " + files.current() + " (Ctrl-C to stop)"));
        }
        return ExitCodes.OK;
    }

    private static Optional<Integer> defaultPort(ConfigPaths paths) throws java.io.IOException {
        List<RunState> live = new RunStateFiles(paths.runDirectory()).live();
        if (live.size() == 1) {
            return Optional.of(live.get(0).port());
        }
        return RequestLogFiles.mostRecent(paths.logDirectory());
    }

    private void print(PrintStream out, JsonNode line) {
        out.println(json ? line.toString() : describe(line));
    }

    /** One request as a line for people. */
    static String describe(JsonNode line) {
        StringBuilder text = new StringBuilder();
        Instant time = Instant.parse(line.path("time").asText());
        text.append(TIME.format(time)).append("  ").append(line.path("status").asInt());
        if (!line.path("errorType").isNull()) {
            text.append(' ').append(line.path("errorType").asText());
        }
        text.append("  ")
                .append(orDash(line.path("endpoint")))
                .append(' ')
                .append(
                        line.path("upstreamModel").isNull()
                                ? orDash(line.path("requestedModel"))
                                : line.path("upstreamModel").asText());
        if (line.path("operation").asText().equals("count_tokens")) {
            text.append(" (count_tokens)");
        }
        text.append("  ").append(Format.seconds(line.path("totalMs").asLong()));
        if (line.path("ttfbMs").asLong() >= 0) {
            text.append(" (first byte ")
                    .append(Format.seconds(line.path("ttfbMs").asLong()))
                    .append(')');
        }
        long cacheRead = line.path("cacheReadTokens").asLong();
        long cacheWrite = line.path("cacheCreationTokens").asLong();
        text.append("  in ")
                .append(Format.tokens(line.path("inputTokens").asLong()))
                .append(" out ")
                .append(Format.tokens(line.path("outputTokens").asLong()));
        if (cacheRead + cacheWrite > 0) {
            text.append(" cache ")
                    .append(Format.tokens(cacheRead))
                    .append(" read/")
                    .append(Format.tokens(cacheWrite))
                    .append(" write");
        }
        text.append("  ")
                .append(
                        line.path("costUsd").isNull()
                                ? "$?"
                                : Format.usd(line.path("costUsd").asDouble()));
        if (!line.path("sessionId").isNull()) {
            String session = line.path("sessionId").asText();
            text.append("  session ").append(session, 0, Math.min(8, session.length()));
        }
        text.append("  ").append(line.path("requestId").asText());
        return text.toString();
    }

    private static String orDash(JsonNode value) {
        return value.isNull() || value.isMissingNode() ? "-" : value.asText();
    }

    private Predicate<JsonNode> statusFilter(String wanted) {
        if (wanted == null) {
            return line -> true;
        }
        String w = wanted.strip().toLowerCase(Locale.ROOT);
        if (w.equals("error")) {
            return line -> line.path("status").asInt() >= 400
                    || !line.path("errorType").isNull();
        }
        if (w.equals("ok")) {
            return line ->
                    line.path("status").asInt() < 400 && line.path("errorType").isNull();
        }
        if (w.matches("[1-5]xx")) {
            int hundreds = w.charAt(0) - '0';
            return line -> line.path("status").asInt() / 100 == hundreds;
        }
        if (w.matches("\\d{3}")) {
            int code = Integer.parseInt(w);
            return line -> line.path("status").asInt() == code;
        }
        throw new ParameterException(
                spec.commandLine(), "--status must be a code (429), a class (4xx), 'error' or 'ok', got " + wanted);
    }

    private static Predicate<JsonNode> sessionFilter(String prefix) {
        if (prefix == null) {
            return line -> true;
        }
        return line -> line.path("sessionId").asText("").startsWith(prefix);
    }
}
