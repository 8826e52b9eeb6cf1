package dev.ccr.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Entry point: {@code load} runs the load harness, {@code startup} the start-up measurement, {@code jmh} the
 * micro-benchmarks. See bench/README.md.
 */
public final class Bench {
    private Bench() {}

    public static void main(String[] args) throws Exception {
        if (args.length == 0 || args[0].equals("--help")) {
            System.out.println("usage: java -jar bench/target/ccr-bench.jar load [--launcher server/ccr] [--requests N]"
                    + " [--rounds N] [--cap-seconds N] [--slow-streams N] [--peer ccr2|none] [--out FILE]\n"
                    + "       java -jar bench/target/ccr-bench.jar startup [--launcher server/ccr] [--runs N]"
                    + " [--idle-seconds N] [--out FILE]\n"
                    + "       java -jar bench/target/ccr-bench.jar jmh [JMH options]");
            return;
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        switch (args[0]) {
            case "load" -> load(rest);
            case "startup" -> startup(rest);
            case "jmh" -> org.openjdk.jmh.Main.main(rest);
            default -> throw new IllegalArgumentException("unknown command " + args[0] + "; use load, startup or jmh");
        }
    }

    private static void startup(String[] args) throws Exception {
        Path launcher = Path.of("server/ccr");
        int runs = 7;
        long idleSeconds = 3;
        Path out = null;
        for (int i = 0; i < args.length; i += 2) {
            String value = args[i + 1];
            switch (args[i]) {
                case "--launcher" -> launcher = Path.of(value);
                case "--runs" -> runs = Integer.parseInt(value);
                case "--idle-seconds" -> idleSeconds = Long.parseLong(value);
                case "--out" -> out = Path.of(value);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (!Files.isExecutable(launcher)) {
            throw new IllegalArgumentException("no launcher at " + launcher + "; run from the repository root");
        }
        String report =
                new StartupBench(new StartupBench.Options(launcher.toAbsolutePath(), runs, idleSeconds * 1000)).run();
        System.out.print(report);
        if (out != null) {
            Files.writeString(out, report);
        }
    }

    private static void load(String[] args) throws Exception {
        Path launcher = Path.of("server/ccr");
        int requests = 2_000;
        int rounds = 6;
        long capSeconds = 60;
        int slowStreams = 1_000;
        LoadBench.Peer peer = LoadBench.Peer.CCR2;
        Path out = null;
        for (int i = 0; i < args.length; i += 2) {
            String value = args[i + 1];
            switch (args[i]) {
                case "--launcher" -> launcher = Path.of(value);
                case "--requests" -> requests = Integer.parseInt(value);
                case "--rounds" -> rounds = Integer.parseInt(value);
                case "--cap-seconds" -> capSeconds = Long.parseLong(value);
                case "--slow-streams" -> slowStreams = Integer.parseInt(value);
                case "--peer" ->
                    peer = switch (value) {
                        case "ccr2" -> LoadBench.Peer.CCR2;
                        case "none" -> LoadBench.Peer.NONE;
                        default -> throw new IllegalArgumentException("--peer is ccr2 or none, not " + value);
                    };
                case "--out" -> out = Path.of(value);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (!Files.isExecutable(launcher)) {
            throw new IllegalArgumentException("no launcher at " + launcher + "; run from the repository root");
        }
        String report = new LoadBench(new LoadBench.Options(
                        launcher.toAbsolutePath(), requests, rounds, capSeconds * 1000, slowStreams, peer))
                .run();
        System.out.print(report);
        if (out != null) {
            Files.writeString(out, report);
        }
    }
}
