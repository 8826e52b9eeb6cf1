package dev.ccr.server.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ccr.server.config.ConfigLoader;
import dev.ccr.server.config.ConfigPaths;
import dev.ccr.server.config.EffectiveConfig;
import dev.ccr.server.json.Json;
import dev.ccr.server.observe.http.StatsJson;
import dev.ccr.server.observe.usage.Grouping;
import dev.ccr.server.observe.usage.UsageDatabase;
import dev.ccr.server.observe.usage.UsageGroup;
import dev.ccr.server.observe.usage.UsageQueries;
import dev.ccr.server.observe.usage.UsageReport;
import dev.ccr.server.observe.usage.UsageTotals;
import dev.ccr.server.team.TeamUsageReader;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code ccr stats}: tokens and cost from the usage history, by model, endpoint and session. */
@Command(
        name = "stats",
        mixinStandardHelpOptions = true,
        versionProvider = CcrCommand.VersionProvider.class,
        description = {
            "Show tokens and cost: today by default, by model, endpoint and Claude Code session.",
            "Reads ~/.claude-code-router/usage.db (every router of yours writes there); works whether or not a router"
                    + " runs. Sessions are kept for log.usageRetentionDays (90 by default), daily totals for two years.",
            "On a team server (\"shared\" in the config) the totals are the team's, read from Redis: every instance's"
                    + " requests, by model, endpoint, client and day; sessions stay with each instance (--local)."
        })
final class StatsCommand implements Callable<Integer> {
    private static final int SESSION_ROWS = 10;

    @Option(names = "--days", paramLabel = "N", description = "The last N days, today included (default: today only).")
    Integer days;

    @Option(names = "--from", paramLabel = "DATE", description = "First day (YYYY-MM-DD).")
    String from;

    @Option(names = "--to", paramLabel = "DATE", description = "Last day, included (YYYY-MM-DD; default today).")
    String to;

    @Option(
            names = "--by",
            paramLabel = "WHAT",
            description = "One breakdown only: model, endpoint, session, client or day.")
    String by;

    @Option(
            names = "--session",
            paramLabel = "ID",
            description = "Only this Claude Code session (a prefix of its id is enough).")
    String session;

    @Option(names = "--json", description = "Print JSON instead of tables.")
    boolean json;

    @Option(
            names = {"-c", "--config"},
            paramLabel = "FILE",
            description = "Config file, for its \"shared\" Redis (default: ~/.claude-code-router/config.json).")
    Path config;

    @Option(
            names = "--local",
            description = "On a team server, this machine's usage history only, instead of the team's totals.")
    boolean local;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        LocalDate today = LocalDate.now();
        LocalDate last = date(to, "--to", today);
        if (days != null && days < 1) {
            throw new ParameterException(spec.commandLine(), "--days must be 1 or more");
        }
        LocalDate first = date(from, "--from", last.minusDays(days == null ? 0 : days - 1L));
        if (first.isAfter(last)) {
            throw new ParameterException(spec.commandLine(), "--from must not be after --to");
        }
        Grouping only = by == null ? null : grouping(by);
        EffectiveConfig.Shared team = local || session != null || only == Grouping.SESSION ? null : teamStore();
        List<Grouping> groupings = only != null
                ? List.of(only)
                : session != null
                        ? List.of(Grouping.MODEL)
                        : team != null
                                ? List.of(Grouping.MODEL, Grouping.ENDPOINT, Grouping.CLIENT)
                                : List.of(Grouping.MODEL, Grouping.ENDPOINT, Grouping.SESSION);
        UsageQueries queries =
                new UsageQueries(ConfigPaths.fromEnvironment().home().resolve(UsageDatabase.FILE_NAME));
        PrintStream out = System.out;
        ObjectNode root = Json.object();
        root.put("from", first.toString());
        root.put("to", last.toString());
        root.put("sessionId", session);
        if (team != null) {
            try {
                List<UsageReport> reports = new java.util.ArrayList<>();
                for (Grouping grouping : groupings) {
                    reports.add(TeamUsageReader.report(team, first, last, grouping));
                }
                root.put("team", team.redis().display());
                if (!json) {
                    out.println("Team totals from " + team.redis().display() + " (every instance's requests; this"
                            + " machine's alone: --local)");
                }
                return print(out, root, reports.stream().map(Optional::of).toList(), groupings, first, last, queries);
            } catch (Exception e) {
                System.err.println("cannot read the team's totals from "
                        + team.redis().display() + " (" + describe(e) + "); showing this machine's usage history");
            }
        }
        List<Optional<UsageReport>> reports = new java.util.ArrayList<>();
        for (Grouping grouping : groupings) {
            reports.add(queries.report(first, last, grouping, session));
        }
        return print(out, root, reports, groupings, first, last, queries);
    }

    private int print(
            PrintStream out,
            ObjectNode root,
            List<Optional<UsageReport>> reports,
            List<Grouping> groupings,
            LocalDate first,
            LocalDate last,
            UsageQueries queries) {
        boolean any = false;
        for (int i = 0; i < groupings.size(); i++) {
            Grouping grouping = groupings.get(i);
            Optional<UsageReport> report = reports.get(i);
            if (report.isEmpty()) {
                if (json) {
                    root.putNull("total");
                    out.println(Json.write(root));
                } else {
                    out.println("No usage recorded yet: " + queries.file() + " does not exist. A running router"
                            + " records every request there.");
                }
                return ExitCodes.OK;
            }
            UsageReport r = report.get();
            if (json) {
                root.set("total", Json.MAPPER.valueToTree(r.total()));
                root.set("by" + capitalised(grouping), StatsJson.report(r).get("groups"));
                continue;
            }
            if (!any) {
                printTotal(out, r, first, last);
                any = true;
                if (r.total().requests() == 0) {
                    return ExitCodes.OK;
                }
            }
            printGroups(out, grouping, r.groups());
        }
        if (json) {
            out.println(Json.write(root));
        }
        return ExitCodes.OK;
    }

    /** The team's Redis when the config names one; {@code null} otherwise (or when the config cannot be read). */
    private EffectiveConfig.Shared teamStore() {
        ConfigPaths paths = ConfigPaths.fromEnvironment();
        Path file = config != null ? config.toAbsolutePath() : paths.configFile();
        try {
            return ConfigLoader.fromSystemEnvironment()
                    .load(file, dev.ccr.server.config.Overrides.NONE)
                    .config()
                    .shared();
        } catch (Exception e) {
            if (config != null) {
                System.err.println(
                        "cannot read " + file + ": " + describe(e) + "; showing this machine's usage" + " history");
            }
            return null;
        }
    }

    private static String describe(Exception e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message.strip();
    }

    private void printTotal(PrintStream out, UsageReport r, LocalDate first, LocalDate last) {
        String period = first.equals(last)
                ? (last.equals(LocalDate.now()) ? "today (" + last + ")" : last.toString())
                : first + " to " + last;
        out.println("Usage " + period + (session == null ? "" : ", session " + session) + ":");
        UsageTotals t = r.total();
        if (t.requests() == 0) {
            out.println("  no requests");
            return;
        }
        out.println("  " + t.requests() + " requests" + (t.errors() > 0 ? " (" + t.errors() + " failed)" : "")
                + ", input " + Format.tokens(t.inputTokens()) + ", output " + Format.tokens(t.outputTokens())
                + ", cache read " + Format.tokens(t.cacheReadTokens()) + ", cache write "
                + Format.tokens(t.cacheCreationTokens()) + ", cost " + Format.usd(t.costUsd()));
        if (!t.fullyPriced()) {
            out.println("  " + t.unpricedRequests() + " requests used models without a known price and are not in"
                    + " the cost; add their prices under \"pricing\" in the config");
        }
        if (t.estimatedRequests() > 0) {
            out.println("  " + t.estimatedRequests() + " requests used Claude models newer than the price table and are"
                    + " in the cost at their family's price (~); 'ccr pricing update' fetches current prices");
        }
    }

    private static void printGroups(PrintStream out, Grouping grouping, List<UsageGroup> groups) {
        out.println();
        List<UsageGroup> shown =
                grouping == Grouping.SESSION && groups.size() > SESSION_ROWS ? groups.subList(0, SESSION_ROWS) : groups;
        int width = Math.max(
                grouping.label().length() + 3,
                shown.stream().mapToInt(g -> g.name().length()).max().orElse(0));
        String row = "%-" + width + "s %9s %7s %9s %9s %11s %11s %11s%n";
        out.printf(
                Locale.ROOT,
                row,
                "By " + grouping.label(),
                "requests",
                "failed",
                "input",
                "output",
                "cache read",
                "cache write",
                "cost");
        for (UsageGroup g : shown) {
            UsageTotals t = g.usage();
            out.printf(
                    Locale.ROOT,
                    row,
                    g.name(),
                    t.requests(),
                    t.errors(),
                    Format.tokens(t.inputTokens()),
                    Format.tokens(t.outputTokens()),
                    Format.tokens(t.cacheReadTokens()),
                    Format.tokens(t.cacheCreationTokens()),
                    (t.estimatedRequests() > 0 ? "~" : "") + Format.usd(t.costUsd()) + (t.fullyPriced() ? "" : "+?"));
        }
        if (shown.size() < groups.size()) {
            out.println("(" + (groups.size() - shown.size()) + " more sessions: ccr stats --by session)");
        }
    }

    private LocalDate date(String text, String option, LocalDate fallback) {
        if (text == null) {
            return fallback;
        }
        try {
            return LocalDate.parse(text.strip());
        } catch (DateTimeParseException e) {
            throw new ParameterException(spec.commandLine(), option + " must be a date like 2026-01-31, got " + text);
        }
    }

    private Grouping grouping(String text) {
        try {
            return Grouping.parse(text);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(
                    spec.commandLine(), "--by must be one of model, endpoint, session, client, day; got " + text);
        }
    }

    private static String capitalised(Grouping grouping) {
        String label = grouping.label();
        return Character.toUpperCase(label.charAt(0)) + label.substring(1);
    }
}
