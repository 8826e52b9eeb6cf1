import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.TreeSet;
import java.util.spi.ToolProvider;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Makes the Java runtime that the distribution and the platform VSIX carry: the modules {@code jdeps} finds in the
 * router's shaded jar, plus the few it cannot see, linked by {@code jlink} from the JDK that runs this program.
 *
 * <p>Run by the build (server/pom.xml) as a single-file program: {@code java BuildRuntime.java <ccr.jar> <output>}.
 * jdeps and jlink are called in process through {@link ToolProvider}, so it needs nothing but a JDK, on every OS the
 * build runs on. The result is reused while the jar's classes, the JDK and the options stay the same (jdeps and jlink
 * take a minute on a busy 2-core machine); otherwise it is made anew.
 */
public final class BuildRuntime {
    /**
     * Modules the router needs that jdeps cannot see because nothing names them in bytecode: the elliptic-curve
     * algorithms most TLS servers negotiate (without them an HTTPS upstream fails its handshake).
     */
    private static final List<String> RUNTIME_ONLY_MODULES = List.of("jdk.crypto.ec");

    private BuildRuntime() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: java BuildRuntime.java <ccr.jar> <output directory>");
            System.exit(2);
        }
        Path jar = Path.of(args[0]).toAbsolutePath();
        Path output = Path.of(args[1]).toAbsolutePath();
        int feature = Runtime.version().feature();
        List<String> options = new ArrayList<>(List.of(
                "--strip-debug",
                "--no-man-pages",
                "--no-header-files",
                // zip compression of the modules image: about half the size; class-data sharing makes up for the
                // small cost at start (the classes of a start come from the archive, not the image)
                feature >= 21 ? "--compress=zip-6" : "--compress=2",
                // The JDK's own class-data archive (lib/server/classes.jsa). The launcher's per-user archive of the
                // router's classes (`ccr cds-training`) is layered on it: without it Java 17 cannot make one.
                "--generate-cds-archive"));

        String stamp = stamp(jar, options);
        Path stampFile = output.resolve(".ccr-runtime-stamp");
        if (Files.isRegularFile(stampFile) && Files.readString(stampFile).equals(stamp)) {
            System.out.println("BuildRuntime: " + output + " is up to date");
            return;
        }

        long started = System.nanoTime();
        TreeSet<String> modules = new TreeSet<>(moduleDependencies(jar, feature));
        modules.addAll(RUNTIME_ONLY_MODULES);
        System.out.println("BuildRuntime: modules " + String.join(",", modules));

        deleteRecursively(output);
        List<String> jlink = new ArrayList<>(List.of("--add-modules", String.join(",", modules)));
        jlink.addAll(options);
        jlink.addAll(List.of("--output", output.toString()));
        run("jlink", jlink);
        // The archive for heaps over 32 GB (no compressed oops): the launcher caps the heap far below that, so it
        // would only add 10 MB to every download.
        Files.deleteIfExists(output.resolve("lib/server/classes_nocoops.jsa"));
        Files.deleteIfExists(output.resolve("bin/server/classes_nocoops.jsa")); // Windows keeps the JVM under bin/
        Files.writeString(stampFile, stamp);
        System.out.printf(
                "BuildRuntime: Java %s runtime in %s (%d MB) in %.1f s%n",
                Runtime.version(), output, size(output) >> 20, (System.nanoTime() - started) / 1e9);
    }

    /** The JDK modules the jar's classes use, as jdeps prints them ({@code java.base,java.sql,…}). */
    private static List<String> moduleDependencies(Path jar, int feature) {
        String printed = run(
                "jdeps",
                List.of(
                        "--multi-release",
                        String.valueOf(feature),
                        "--ignore-missing-deps",
                        "--print-module-deps",
                        jar.toString()));
        return Arrays.stream(printed.trim().split(","))
                .map(String::trim)
                .filter(name -> !name.isEmpty())
                .toList();
    }

    private static String run(String tool, List<String> args) {
        ToolProvider provider = ToolProvider.findFirst(tool)
                .orElseThrow(() -> new IllegalStateException(
                        tool + " is missing from " + System.getProperty("java.home") + ": the build needs a full JDK"));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = provider.run(new PrintWriter(out, true), new PrintWriter(err, true), args.toArray(String[]::new));
        if (status != 0) {
            throw new IllegalStateException(tool + " " + String.join(" ", args) + " failed (exit status " + status
                    + "):\n" + out + err + (tool.equals("jlink") ? jmodsHint() : ""));
        }
        return out.toString();
    }

    private static String jmodsHint() {
        return "\nA JDK before 24 links from its jmods/ folder; some distributions ship it separately (Debian: "
                + "openjdk-17-jmods). Or choose another JDK with -Dccr.runtime.jdk=/path/to/jdk.";
    }

    /**
     * What the runtime depends on: every entry of the jar by name and CRC (stable across rebuilds of the same
     * classes, unlike the jar's own timestamps), the JDK, the options and the modules added by hand.
     */
    private static String stamp(Path jar, List<String> options) throws IOException, NoSuchAlgorithmException {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            zip.stream().sorted(Comparator.comparing(ZipEntry::getName)).forEach(entry -> digest.update(
                    (entry.getName() + ':' + entry.getCrc() + '\n').getBytes(StandardCharsets.UTF_8)));
        }
        String jdk = System.getProperty("java.home") + ' ' + Runtime.version() + ' ' + String.join(" ", options) + ' '
                + RUNTIME_ONLY_MODULES;
        digest.update(jdk.getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(digest.digest()) + '\n';
    }

    private static long size(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile)
                    .mapToLong(file -> {
                        try {
                            return Files.size(file);
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    })
                    .sum();
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                // jlink makes some files read-only (the CDS archive), which Windows refuses to delete
                file.toFile().setWritable(true);
                Files.delete(file);
            }
        }
    }
}
