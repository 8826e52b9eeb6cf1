package dev.ccr.server.observe.log;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Where the request log of the router on one port lives: {@code logs/requests-<port>.jsonl}, and the files rotated away
 * from it, {@code requests-<port>.<UTC time of rotation>.jsonl}, whose names sort in time order. One file per port, so
 * routers running side by side never write to the same file.
 */
public final class RequestLogFiles {
    private static final DateTimeFormatter STAMP =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'").withZone(ZoneOffset.UTC);
    private static final Pattern NAME = Pattern.compile("requests-(\\d+)(?:\\.(\\d{8}T\\d{6}\\.\\d{3}Z))?\\.jsonl");

    private final Path directory;
    private final int port;

    public RequestLogFiles(Path directory, int port) {
        this.directory = directory;
        this.port = port;
    }

    public Path directory() {
        return directory;
    }

    /** The file being written. */
    public Path current() {
        return directory.resolve("requests-" + port + ".jsonl");
    }

    /** The name the current file gets when it is rotated at {@code when}. */
    Path rotated(Instant when) {
        return directory.resolve("requests-" + port + "." + STAMP.format(when) + ".jsonl");
    }

    /** Rotated files, oldest first. */
    public List<Path> rotated() throws IOException {
        List<Path> files = new ArrayList<>();
        if (!Files.isDirectory(directory)) {
            return files;
        }
        try (Stream<Path> listing = Files.list(directory)) {
            listing.filter(p -> {
                        Matcher m = NAME.matcher(p.getFileName().toString());
                        return m.matches() && m.group(1).equals(Integer.toString(port)) && m.group(2) != null;
                    })
                    .sorted()
                    .forEach(files::add);
        }
        return files;
    }

    /** Every file of this port, oldest first, the current one last (if it exists). */
    public List<Path> all() throws IOException {
        List<Path> files = rotated();
        if (Files.exists(current())) {
            files.add(current());
        }
        return files;
    }

    /** The ports that have a request log in {@code directory}, for a reader that was not told which. */
    public static List<Integer> ports(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (Stream<Path> listing = Files.list(directory)) {
            return listing.map(p -> NAME.matcher(p.getFileName().toString()))
                    .filter(Matcher::matches)
                    .map(m -> Integer.parseInt(m.group(1)))
                    .distinct()
                    .sorted()
                    .toList();
        }
    }

    /** The port whose current file was written last, if any. */
    public static Optional<Integer> mostRecent(Path directory) throws IOException {
        Integer best = null;
        long bestTime = Long.MIN_VALUE;
        for (int port : ports(directory)) {
            Path current = new RequestLogFiles(directory, port).current();
            if (Files.exists(current)) {
                long time = Files.getLastModifiedTime(current).toMillis();
                if (time > bestTime) {
                    bestTime = time;
                    best = port;
                }
            }
        }
        return Optional.ofNullable(best);
    }
}
