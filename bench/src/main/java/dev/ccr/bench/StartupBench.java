package dev.ccr.bench;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The router's fixed costs, repeated: start to first answered request, RSS right after start and after a few idle
 * seconds, and SIGTERM to exit, over several fresh starts, each through the launcher (so its JVM flags and its
 * class-data archive are what is measured). Starts are noisy on a shared machine, hence the median and the range.
 */
final class StartupBench {
    record Options(Path launcher, int runs, long idleMillis) {}

    /** One start of the router. */
    record Run(
            double startMillis,
            double cpuMillis,
            Map<String, Double> cpuByThread,
            double rssAfterStartMiB,
            double idleRssMiB,
            double exitMillis) {}

    private final Options options;

    StartupBench(Options options) {
        this.options = options;
    }

    String run() throws Exception {
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
        List<Run> runs = new ArrayList<>();
        try (MockUpstream mock = new MockUpstream(vertx);
                LoadGenerator load = new LoadGenerator(vertx, 4)) {
            mock.warmUp(load);
            String config =
                    """
                    {"endpoints": [{"name": "mock", "type": "anthropic", "baseUrl": "%s", "apiKey": "mock-key"}],
                     "logLevel": "warn"}"""
                            .formatted(mock.baseUrl());
            for (int i = 0; i < options.runs(); i++) {
                try (ChildServer router = RouterProcess.start(options.launcher(), config)) {
                    double cpu = router.cpuMillis();
                    Map<String, Double> byThread = router.cpuMillisByThread();
                    double afterStart = router.rssMiB();
                    Thread.sleep(options.idleMillis());
                    double idle = router.rssMiB();
                    long exit = router.terminate();
                    Run run = new Run(
                            router.startToFirstAnswerNanos() / 1e6, cpu, byThread, afterStart, idle, exit / 1e6);
                    System.err.printf(
                            Locale.ROOT,
                            "run %d: start %.0f ms, cpu %.0f ms, RSS %.0f MiB, idle RSS %.0f MiB, exit %.0f ms%n",
                            i + 1,
                            run.startMillis(),
                            run.cpuMillis(),
                            run.rssAfterStartMiB(),
                            run.idleRssMiB(),
                            run.exitMillis());
                    runs.add(run);
                }
            }
        } finally {
            vertx.close().await();
        }
        return report(runs);
    }

    private String report(List<Run> runs) {
        StringBuilder out = new StringBuilder();
        out.append("| resource (").append(runs.size()).append(" starts) | median | min | max |\n");
        out.append("|---|---:|---:|---:|\n");
        row(
                out,
                "start to first answered request (ms)",
                runs.stream().mapToDouble(Run::startMillis).toArray());
        row(
                out,
                "CPU time used until then (ms)",
                runs.stream().mapToDouble(Run::cpuMillis).toArray());
        row(
                out,
                "RSS right after start (MiB)",
                runs.stream().mapToDouble(Run::rssAfterStartMiB).toArray());
        row(
                out,
                "RSS after " + options.idleMillis() / 1000 + " s idle (MiB)",
                runs.stream().mapToDouble(Run::idleRssMiB).toArray());
        row(
                out,
                "SIGTERM to exit (ms)",
                runs.stream().mapToDouble(Run::exitMillis).toArray());
        out.append("\n| CPU time by thread until the first answer (ms) | median | min | max |\n");
        out.append("|---|---:|---:|---:|\n");
        Set<String> names = new TreeSet<>();
        runs.forEach(run -> names.addAll(run.cpuByThread().keySet()));
        for (String name : names) {
            double[] values = runs.stream()
                    .mapToDouble(run -> run.cpuByThread().getOrDefault(name, 0.0))
                    .toArray();
            if (Arrays.stream(values).max().orElse(0) > 0) {
                row(out, name, values);
            }
        }
        return out.toString();
    }

    private static void row(StringBuilder out, String name, double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        double median = sorted.length % 2 == 1
                ? sorted[sorted.length / 2]
                : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
        out.append(String.format(
                Locale.ROOT, "| %s | %.0f | %.0f | %.0f |%n", name, median, sorted[0], sorted[sorted.length - 1]));
    }
}
