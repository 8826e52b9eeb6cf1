package dev.ccr.server.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ccr.server.files.AtomicFiles;
import dev.ccr.server.json.Json;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** Reads and writes the per-instance state files; entries whose process is gone are stale and get removed. */
public final class RunStateFiles {
    private final Path directory;

    public RunStateFiles(Path directory) {
        this.directory = directory;
    }

    public Path fileFor(int port) {
        return directory.resolve(port + ".json");
    }

    /** Writes atomically so a concurrent {@code ccr status} never reads half a file. */
    public void write(RunState state) throws IOException {
        AtomicFiles.write(fileFor(state.port()), Json.writeBytes(state), null);
    }

    /** Removes the file of this process only, so one instance never erases another's record. */
    public void remove(int port, long pid) {
        read(fileFor(port)).filter(s -> s.pid() == pid).ifPresent(s -> {
            try {
                Files.deleteIfExists(fileFor(port));
            } catch (IOException ignored) {
                // Nothing to do: a stale file is detected and removed by the next reader.
            }
        });
    }

    /** The instances that are running now, oldest first; stale files are deleted on the way. */
    public List<RunState> live() {
        List<RunState> states = new ArrayList<>();
        if (!Files.isDirectory(directory)) {
            return states;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "*.json")) {
            for (Path file : files) {
                Optional<RunState> state = read(file);
                if (state.isPresent() && isAlive(state.get())) {
                    states.add(state.get());
                } else {
                    Files.deleteIfExists(file);
                }
            }
        } catch (IOException e) {
            return states;
        }
        states.sort(Comparator.comparingLong(RunState::startedAt));
        return states;
    }

    private static Optional<RunState> read(Path file) {
        try {
            JsonNode node = Json.MAPPER.readTree(Files.readAllBytes(file));
            return Optional.of(Json.MAPPER.treeToValue(node, RunState.class));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * Whether the recorded process still runs. A process that started after the record was written merely reuses the
     * pid of a router that is gone.
     */
    static boolean isAlive(RunState state) {
        return ProcessHandle.of(state.pid())
                .filter(ProcessHandle::isAlive)
                .map(p -> p.info()
                        .startInstant()
                        .map(started -> started.toEpochMilli() <= state.startedAt() + 2_000)
                        .orElse(true))
                .orElse(false);
    }
}
