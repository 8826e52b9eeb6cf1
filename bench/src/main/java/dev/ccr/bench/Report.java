package dev.ccr.bench;

import java.util.List;
import java.util.Locale;

/** Renders a run as Markdown for docs/BENCHMARKS.md. */
final class Report {
    private Report() {}

    record Resources(
            long startToFirstAnswerNanos,
            double rssAfterStartMiB,
            double idleRssMiB,
            int slowStreams,
            double slowStreamsPeakRssMiB,
            int slowStreamsFailed,
            long sigtermToExitNanos) {}

    static String markdown(List<LoadBench.Outcome> outcomes, Resources resources, LoadBench.Options options) {
        StringBuilder out = new StringBuilder();
        out.append("Machine: ")
                .append(Runtime.getRuntime().availableProcessors())
                .append(" cores, ")
                .append(System.getProperty("os.name"))
                .append(' ')
                .append(System.getProperty("os.arch"))
                .append(", harness on Java ")
                .append(System.getProperty("java.version"))
                .append(". Rounds per scenario: ")
                .append(options.rounds())
                .append(", interleaved direct/ccr.\n\n");
        out.append("| scenario | path | requests | errors | p50 ms | p90 ms | p99 ms | first byte p50 ms | req/s |\n");
        out.append("|---|---|---:|---:|---:|---:|---:|---:|---:|\n");
        for (LoadBench.Outcome outcome : outcomes) {
            row(out, outcome.scenario().name(), "direct", outcome.direct());
            row(out, "", "via ccr", outcome.routed());
        }
        out.append("\n| scenario | added p50 ms | added p99 ms | added first-byte p50 ms | throughput ccr/direct |\n");
        out.append("|---|---:|---:|---:|---:|\n");
        for (LoadBench.Outcome outcome : outcomes) {
            LoadGenerator.Result d = outcome.direct();
            LoadGenerator.Result r = outcome.routed();
            out.append("| ")
                    .append(outcome.scenario().name())
                    .append(" | ")
                    .append(f(r.latency().percentileMillis(50) - d.latency().percentileMillis(50)))
                    .append(" | ")
                    .append(f(r.latency().percentileMillis(99) - d.latency().percentileMillis(99)))
                    .append(" | ")
                    .append(f(r.firstByte().percentileMillis(50) - d.firstByte().percentileMillis(50)))
                    .append(" | ")
                    .append(String.format(
                            Locale.ROOT, "%.0f %%", 100 * r.throughputPerSecond() / d.throughputPerSecond()))
                    .append(" |\n");
        }
        out.append("\n| resource | value |\n|---|---:|\n");
        out.append("| start to first answered request | ")
                .append(f(resources.startToFirstAnswerNanos() / 1e6))
                .append(" ms |\n");
        out.append("| RSS right after start | ")
                .append(String.format(Locale.ROOT, "%.0f", resources.rssAfterStartMiB()))
                .append(" MiB |\n");
        out.append("| RSS idle after the load | ")
                .append(String.format(Locale.ROOT, "%.0f", resources.idleRssMiB()))
                .append(" MiB |\n");
        out.append("| RSS peak with ")
                .append(resources.slowStreams())
                .append(" concurrent slow streams | ")
                .append(String.format(Locale.ROOT, "%.0f", resources.slowStreamsPeakRssMiB()))
                .append(" MiB (")
                .append(resources.slowStreamsFailed())
                .append(" failed) |\n");
        out.append("| SIGTERM to exit (idle) | ")
                .append(f(resources.sigtermToExitNanos() / 1e6))
                .append(" ms |\n");
        return out.toString();
    }

    private static void row(StringBuilder out, String name, String path, LoadGenerator.Result result) {
        out.append("| ")
                .append(name)
                .append(" | ")
                .append(path)
                .append(" | ")
                .append(result.latency().count())
                .append(" | ")
                .append(result.errors())
                .append(" | ")
                .append(f(result.latency().percentileMillis(50)))
                .append(" | ")
                .append(f(result.latency().percentileMillis(90)))
                .append(" | ")
                .append(f(result.latency().percentileMillis(99)))
                .append(" | ")
                .append(f(result.firstByte().percentileMillis(50)))
                .append(" | ")
                .append(String.format(Locale.ROOT, "%.0f", result.throughputPerSecond()))
                .append(" |\n");
    }

    private static String f(double millis) {
        return String.format(Locale.ROOT, "%.3f", millis);
    }
}
