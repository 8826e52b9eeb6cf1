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
 * a temporary file and renaming it over the original, and because the file may not exist yet.
 */
public final class ConfigWatcher implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ConfigWatcher.class);

    private final WatchService service;
    private final Thread thread;

    /** Watches {@code file} (its directory is created if needed) and calls {@code onChange} on each change. */
    public ConfigWatcher(Path file, Runnable onChange) throws IOException {
        Path directory = file.toAbsolutePath().getParent();
        Files.createDirectories(directory);
        String name = file.getFileName().toString();
        service = FileSystems.getDefault().newWatchService();
        directory.register(
                service,
                StandardWatchEventKinds.ENTRY_CREATE,
                StandardWatchEventKinds.ENTRY_MODIFY,
                StandardWatchEventKinds.ENTRY_DELETE);
        thread = new Thread(
                () -> {
                    try {
                        while (true) {
                            WatchKey key = service.take();
                            boolean relevant = false;
                            for (WatchEvent<?> event : key.pollEvents()) {
                                Object context = event.context();
                                relevant |= event.kind() == StandardWatchEventKinds.OVERFLOW
                                        || (context instanceof Path p
                                                && p.toString().equals(name));
                            }
                            key.reset();
                            if (relevant) {
                                onChange.run();
                            }
                        }
                    } catch (InterruptedException | ClosedWatchServiceException e) {
                        // closing
                    } catch (RuntimeException e) {
                        log.error("config watcher stopped; config changes need a restart now", e);
                    }
                },
                "ccr-config-watcher");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void close() throws IOException {
        service.close();
    }
}
