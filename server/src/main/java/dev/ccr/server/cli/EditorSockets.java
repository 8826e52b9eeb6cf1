package dev.ccr.server.cli;

import dev.ccr.protocol.router.StopReason;
import dev.ccr.server.config.ConfigPaths;
import dev.ccr.server.rpc.Sidecar;
import dev.ccr.server.rpc.socket.EditorSocket;
import dev.ccr.server.rpc.socket.SocketPath;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.LoggerFactory;

/** What {@code ccr start} and {@code ccr lsp --shared} do alike with the editors' socket. */
final class EditorSockets {
    private EditorSockets() {}

    /**
     * Tries to own the socket of this config. Empty when it cannot be made (a folder of another user, say): the router
     * then serves without it, and says why.
     */
    static Optional<EditorSocket.Claim> claim(ConfigPaths paths, Path configFile) {
        Path socket = SocketPath.of(paths.home(), configFile);
        try {
            return Optional.of(EditorSocket.claim(socket));
        } catch (IOException | RuntimeException e) {
            LoggerFactory.getLogger(EditorSockets.class)
                    .warn("editors cannot attach to this router: cannot listen on {}: {}", socket, e.getMessage());
            return Optional.empty();
        }
    }

    /** A signal ({@code ccr stop}, Ctrl-C, the service manager): attached editors are told before the router stops. */
    static void stopOnSignal(Sidecar router, Duration drain) {
        try {
            router.stop(StopReason.STOP_REQUESTED, "the router was stopped ('ccr stop' or a signal)", drain)
                    .get(drain.toMillis() + 5_000, TimeUnit.MILLISECONDS);
            router.exited().get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            router.exit(0);
        }
    }

    static void stopOnSignal(Sidecar router) {
        stopOnSignal(router, Duration.ofSeconds(2));
    }
}
