package dev.ccr.server.runtime;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Notices changes to the config file. It watches the directory rather than the file, because editors save by writing
 * a temporary file and renaming it over the original, and because the file may not exist yet. When the directory
 * itself goes away (a {@code rm -r} of {@code ~/.claude-code-router}), it says so and looks for the directory once a
 * second until it is back, so a file written there again is picked up.
 */
public final class ConfigWatcher implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ConfigWatcher.class);
    static final long DIRECTORY_POLL_MS = 1_000;

    private final WatchService service;
    private final Path directory;
    private final String name;
    private final Runnable onChange;
    private final Thread thread;

    /** Watches {@code file} (its directory is created if needed) and calls {@code onChange} on each change. */
    public ConfigWatcher(Path file, Runnable onChange) throws IOException {
        this.directory = file.toAbsolutePath().getParent();
        this.name = file.getFileName().toString();
        this.onChange = onChange;
        Files.createDirectories(directory);
        service = FileSystems.getDefault().newWatchService();
        register();
        thread = new Thread(this::watch, "ccr-config-watcher");
        thread.setDaemon(true);
        thread.start();
    }

    private void register() throws IOException {
        directory.register(
                service,
                StandardWatchEventKinds.ENTRY_CREATE,
                StandardWatchEventKinds.ENTRY_MODIFY,
                StandardWatchEventKinds.ENTRY_DELETE);
    }

    private void watch() {
        try {
            while (true) {
                WatchKey key = service.take();
                boolean relevant = false;
                for (WatchEvent<?> event : key.pollEvents()) {
                    Object context = event.context();
                    relevant |= event.kind() == StandardWatchEventKinds.OVERFLOW
                            || (context instanceof Path p && p.toString().equals(name));
                }
                if (!key.reset()) {
                    // The directory is gone, and with it the file.
                    onChange.run();
                    awaitDirectory();
                    relevant = true;
                }
                if (relevant) {
                    onChange.run();
                }
            }
        } catch (InterruptedException | ClosedWatchServiceException e) {
            // closing
        } catch (IOException | RuntimeException e) {
            log.error("config watcher stopped; config changes need a restart now", e);
        }
    }

    private void awaitDirectory() throws InterruptedException, IOException {
        log.warn("{} is gone; watching for it to come back", directory);
        while (true) {
            Thread.sleep(DIRECTORY_POLL_MS);
            if (Files.isDirectory(directory)) {
                register();
                return;
            }
        }
    }

    @Override
    public void close() throws IOException {
        thread.interrupt();
        service.close();
    }
}
