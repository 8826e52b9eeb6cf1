package dev.ccr.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Entry point: {@code load} runs the load harness, {@code startup} the fixed costs, {@code team} what sharing limits
 * and the cache through Redis adds, {@code jmh} the micro-benchmarks. See bench/README.md.
 */
public final class Bench {
    private Bench() {}

    public static void main(String[] args) throws Exception {
        if (args.length == 0 || args[0].equals("--help")) {
            System.out.println("usage: java -jar bench/target/ccr-bench.jar load [--launcher server/ccr] [--requests N]"
                    + " [--rounds N] [--cap-seconds N] [--slow-streams N] [--peer ccr2|none] [--out FILE]\n"
                    + "       java -jar bench/target/ccr-bench.jar startup [--launcher server/ccr] [--runs N]"
                    + " [--idle-seconds N] [--out FILE]\n"
                    + "       java -jar bench/target/ccr-bench.jar team [--launcher server/ccr] [--redis-server PATH]"
                    + " [--timeout-ms N] [--requests N] [--rounds N] [--cap-seconds N] [--out FILE]\n"
                    + "       java -jar bench/target/ccr-bench.jar jmh [JMH options]");
            return;
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        switch (args[0]) {
            case "load" -> load(rest);
            case "startup" -> startup(rest);
            case "team" -> team(rest);
            case "jmh" -> org.openjdk.jmh.Main.main(rest);
            default ->
                throw new IllegalArgumentException("unknown command " + args[0] + "; use load, startup, team or jmh");
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

    private static void team(String[] args) throws Exception {
        Path launcher = Path.of("server/ccr");
        Path redisServer = null;
        int requests = 1_000;
        int rounds = 4;
        long capSeconds = 60;
        Integer timeoutMs = null;
        Path out = null;
        for (int i = 0; i < args.length; i += 2) {
            String value = args[i + 1];
            switch (args[i]) {
                case "--launcher" -> launcher = Path.of(value);
                case "--redis-server" -> redisServer = Path.of(value);
                case "--timeout-ms" -> timeoutMs = Integer.parseInt(value);
                case "--requests" -> requests = Integer.parseInt(value);
                case "--rounds" -> rounds = Integer.parseInt(value);
                case "--cap-seconds" -> capSeconds = Long.parseLong(value);
                case "--out" -> out = Path.of(value);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (!Files.isExecutable(launcher)) {
            throw new IllegalArgumentException("no launcher at " + launcher + "; run from the repository root");
        }
        if (redisServer == null) {
            redisServer = redisServer();
        }
        String report = new TeamBench(new TeamBench.Options(
                        launcher.toAbsolutePath(), redisServer, requests, rounds, capSeconds * 1000, timeoutMs))
                .run();
        System.out.print(report);
        if (out != null) {
            Files.writeString(out, report);
        }
    }

    /** {@code redis-server} on the PATH, else the one the server's tests copied out of embedded-redis. */
    private static Path redisServer() throws java.io.IOException {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            Path candidate = Path.of(dir, "redis-server");
            if (!dir.isEmpty() && Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        Path extracted = Path.of("server/target/redis");
        if (Files.isDirectory(extracted)) {
            try (var files = Files.list(extracted)) {
                var found = files.filter(Files::isExecutable).findFirst();
                if (found.isPresent()) {
                    return found.get();
                }
            }
        }
        throw new IllegalArgumentException("no redis-server on the PATH or in server/target/redis (run the server's"
                + " team tests once, or pass --redis-server PATH)");
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
