package dev.ccr.server.observe.log;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ccr.server.json.Json;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Predicate;

/** Reads a router's request log for {@code ccr logs}: the last lines that match, and new lines as they come. */
public final class RequestLogReader {
    private static final long FOLLOW_POLL_MS = 250;

    private final RequestLogFiles files;

    public RequestLogReader(RequestLogFiles files) {
        this.files = files;
    }

    /** The last {@code count} lines that match, oldest first, looking into rotated files when needed. */
    public List<JsonNode> tail(int count, Predicate<JsonNode> filter) throws IOException {
        Deque<JsonNode> found = new ArrayDeque<>();
        List<Path> all = files.all();
        for (int i = all.size() - 1; i >= 0 && found.size() < count; i--) {
            List<String> lines = Files.readAllLines(all.get(i), StandardCharsets.UTF_8);
            for (int j = lines.size() - 1; j >= 0 && found.size() < count; j--) {
                JsonNode line = parse(lines.get(j));
                if (line != null && filter.test(line)) {
                    found.addFirst(line);
                }
            }
        }
        return new ArrayList<>(found);
    }

    /**
     * Hands each line that matches to {@code out} as it is appended to the current file, until {@code keepGoing} says
     * stop; follows the log across rotations. Starts at the current end of the file, and then runs {@code started}.
     */
    public void follow(Predicate<JsonNode> filter, Consumer<JsonNode> out, BooleanSupplier keepGoing, Runnable started)
            throws IOException, InterruptedException {
        Path current = files.current();
        long position = Files.exists(current) ? Files.size(current) : 0;
        started.run();
        StringBuilder partial = new StringBuilder();
        while (keepGoing.getAsBoolean()) {
            long size = Files.exists(current) ? Files.size(current) : 0;
            if (size < position) {
                // Rotated: the new file starts from nothing.
                position = 0;
                partial.setLength(0);
            }
            if (size > position) {
                try (RandomAccessFile file = new RandomAccessFile(current.toFile(), "r")) {
                    file.seek(position);
                    byte[] bytes = new byte[(int) Math.min(size - position, 8 << 20)];
                    file.readFully(bytes);
                    position += bytes.length;
                    partial.append(new String(bytes, StandardCharsets.UTF_8));
                }
                int newline;
                while ((newline = partial.indexOf("\n")) >= 0) {
                    JsonNode line = parse(partial.substring(0, newline));
                    partial.delete(0, newline + 1);
                    if (line != null && filter.test(line)) {
                        out.accept(line);
                    }
                }
                continue;
            }
            Thread.sleep(FOLLOW_POLL_MS);
        }
    }

    private static JsonNode parse(String line) {
        if (line.isBlank()) {
            return null;
        }
        try {
            return Json.MAPPER.readTree(line);
        } catch (IOException e) {
            return null; // a line cut by a crash mid-write
        }
    }
}
