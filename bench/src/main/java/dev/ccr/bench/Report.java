package dev.ccr.bench;

import java.util.List;
import java.util.Locale;

/** Renders a load run as Markdown for docs/BENCHMARKS.md: every path side by side, then the routers' resources. */
final class Report {
    private Report() {}

    /** A router's start and memory; the idle figure is NaN until taken. */
    record Resources(long startToFirstAnswerNanos, double rssAfterStartMiB, double idleRssMiB) {
        Resources(long startToFirstAnswerNanos, double rssAfterStartMiB) {
            this(startToFirstAnswerNanos, rssAfterStartMiB, Double.NaN);
        }

        Resources idle(double idleRssMiB) {
            return new Resources(startToFirstAnswerNanos, rssAfterStartMiB, idleRssMiB);
        }
    }

    /** What only ccr is measured for. */
    record CcrOnly(int slowStreams, double slowStreamsPeakRssMiB, int slowStreamsFailed, long sigtermToExitNanos) {}

    static String markdown(
            List<LoadBench.Subject> subjects,
            List<LoadBench.Outcome> outcomes,
            Resources ccr,
            Resources peer,
            String peerNote,
            CcrOnly ccrOnly,
            LoadBench.Options options) {
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
                .append(", interleaved ")
                .append(String.join(
                        " / ", subjects.stream().map(LoadBench.Subject::label).toList()))
                .append(" (the order rotates each round).\n")
                .append(peerNote)
                .append("\n\n");
        out.append("| scenario | path | requests | errors | p50 ms | p90 ms | p99 ms | first byte p50 ms | req/s |\n");
        out.append("|---|---|---:|---:|---:|---:|---:|---:|---:|\n");
        for (LoadBench.Outcome outcome : outcomes) {
            for (int i = 0; i < subjects.size(); i++) {
                row(
                        out,
                        i == 0 ? outcome.scenario().name() : "",
                        subjects.get(i),
                        outcome.results().get(i));
            }
        }
        out.append("\nAdded by each router, against direct in the same rounds:\n\n");
        out.append("| scenario | router | added p50 ms | added p90 ms | added p99 ms | added first byte p50 ms"
                + " | throughput, share of direct |\n");
        out.append("|---|---|---:|---:|---:|---:|---:|\n");
        for (LoadBench.Outcome outcome : outcomes) {
            LoadGenerator.Result d = outcome.results().get(0);
            for (int i = 1; i < subjects.size(); i++) {
                LoadGenerator.Result r = outcome.results().get(i);
                out.append("| ")
                        .append(i == 1 ? outcome.scenario().name() : "")
                        .append(" | ")
                        .append(subjects.get(i).label())
                        .append(" | ")
                        .append(added(r, d, 50))
                        .append(" | ")
                        .append(added(r, d, 90))
                        .append(" | ")
                        .append(added(r, d, 99))
                        .append(" | ")
                        .append(f(r.firstByte().percentileMillis(50)
                                - d.firstByte().percentileMillis(50)))
                        .append(" | ")
                        .append(String.format(
                                Locale.ROOT, "%.0f %%", 100 * r.throughputPerSecond() / d.throughputPerSecond()))
                        .append(r.errors() > 0 ? " (" + r.errors() + " errors)" : "")
                        .append(" |\n");
            }
        }
        out.append("\n| resource | ccr");
        if (peer != null) {
            out.append(" | ").append(ClaudeCodeRouterPeer.LABEL);
        }
        out.append(" |\n|---|---:").append(peer != null ? "|---:" : "").append("|\n");
        resource(out, "start to first answered request", ccr, peer, r -> f(r.startToFirstAnswerNanos() / 1e6) + " ms");
        resource(out, "RSS right after start", ccr, peer, r -> mib(r.rssAfterStartMiB()));
        resource(out, "RSS idle after the load", ccr, peer, r -> mib(r.idleRssMiB()));
        out.append("| RSS peak with ")
                .append(ccrOnly.slowStreams())
                .append(" concurrent slow streams | ")
                .append(mib(ccrOnly.slowStreamsPeakRssMiB()))
                .append(" (")
                .append(ccrOnly.slowStreamsFailed())
                .append(" failed)")
                .append(peer != null ? " | not measured" : "")
                .append(" |\n");
        out.append("| SIGTERM to exit (idle) | ")
                .append(f(ccrOnly.sigtermToExitNanos() / 1e6))
                .append(" ms")
                .append(peer != null ? " | not measured" : "")
                .append(" |\n");
        return out.toString();
    }

    private static void resource(
            StringBuilder out,
            String name,
            Resources ccr,
            Resources peer,
            java.util.function.Function<Resources, String> value) {
        out.append("| ").append(name).append(" | ").append(value.apply(ccr));
        if (peer != null) {
            out.append(" | ").append(value.apply(peer));
        }
        out.append(" |\n");
    }

    private static String added(LoadGenerator.Result routed, LoadGenerator.Result direct, double percentile) {
        return f(
                routed.latency().percentileMillis(percentile) - direct.latency().percentileMillis(percentile));
    }

    private static void row(StringBuilder out, String name, LoadBench.Subject subject, LoadGenerator.Result result) {
        out.append("| ")
                .append(name)
                .append(" | ")
                .append(subject.direct() ? "direct" : "via " + subject.label())
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

    private static String mib(double value) {
        return String.format(Locale.ROOT, "%.0f MiB", value);
    }

    private static String f(double millis) {
        return String.format(Locale.ROOT, "%.3f", millis);
    }
}
