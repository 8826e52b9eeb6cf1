package dev.ccr.server.rpc.socket;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local socket on which a router serves its editors (see {@link SocketPath}). Only one process at a time may own
 * it: ownership is an OS file lock on {@code <socket>.lock}, taken before the socket is bound and held for the
 * process's life. The OS drops the lock when the process dies, however it dies, so a socket file left behind by a crash
 * is recognised as stale (nobody holds its lock), removed and bound again; and of two routers starting at the same
 * moment exactly one gets the lock, while the other learns who owns it.
 *
 * <p>Only the user can open it: its directory is created owner-only (and checked to be the user's own), and the socket
 * file is made owner-only as well. On Windows, where a Unix domain socket is an NTFS file, the user's profile folder
 * keeps others out.
 */
public final class EditorSocket implements Closeable {
    private static final Logger log = LoggerFactory.getLogger(EditorSocket.class);

    /** A connection from an editor. */
    public interface Connection {
        InputStream input();

        OutputStream output();

        /** Closes the connection; the editor sees its end. */
        void close();
    }

    private final Path path;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final ServerSocketChannel server;
    private volatile boolean closed;

    private EditorSocket(Path path, FileChannel lockChannel, FileLock lock, ServerSocketChannel server) {
        this.path = path;
        this.lockChannel = lockChannel;
        this.lock = lock;
        this.server = server;
    }

    /** The result of trying to own the socket. */
    public sealed interface Claim {
        /** This process owns the socket now. */
        record Owned(EditorSocket socket) implements Claim {}

        /**
         * Another live process owns it.
         *
         * @param pid that process, when it recorded itself; empty while it is just starting
         */
        record Taken(Path path, OptionalLong pid) implements Claim {}
    }

    /** Takes the socket at {@code path} unless another process owns it. */
    public static Claim claim(Path path) throws IOException {
        PrivateDirectory.ensure(path.getParent());
        Path lockFile = lockFile(path);
        FileChannel channel = FileChannel.open(
                lockFile, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null; // this very process owns it already
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        if (lock == null) {
            channel.close();
            return new Claim.Taken(path, ownerOf(path));
        }
        try {
            // Whatever is there is stale: its owner would hold the lock.
            Files.deleteIfExists(path);
            ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            try {
                server.bind(UnixDomainSocketAddress.of(path));
                PrivateDirectory.restrictFile(path);
            } catch (IOException | RuntimeException e) {
                server.close();
                throw e;
            }
            byte[] pid = Long.toString(ProcessHandle.current().pid()).getBytes(StandardCharsets.US_ASCII);
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(pid), 0);
            channel.force(false);
            return new Claim.Owned(new EditorSocket(path, channel, lock, server));
        } catch (IOException | RuntimeException e) {
            lock.release();
            channel.close();
            throw e;
        }
    }

    /** The process that owns the socket, as it recorded itself in the lock file. */
    public static OptionalLong ownerOf(Path path) {
        try {
            String text =
                    Files.readString(lockFile(path), StandardCharsets.US_ASCII).strip();
            return text.isEmpty() ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(text));
        } catch (IOException | NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    static Path lockFile(Path socket) {
        return socket.resolveSibling(socket.getFileName() + ".lock");
    }

    public Path path() {
        return path;
    }

    /**
     * Accepts editors on a daemon thread until {@link #close()}, handing each connection to {@code accept}.
     *
     * @param accept takes the connection over; it runs on the accepting thread, so it must not block
     */
    public void serve(java.util.function.Consumer<Connection> accept) {
        Thread acceptor = new Thread(
                () -> {
                    while (!closed) {
                        SocketChannel channel;
                        try {
                            channel = server.accept();
                        } catch (ClosedChannelException e) {
                            return;
                        } catch (IOException e) {
                            if (!closed) {
                                log.warn("the editor socket failed; editors cannot attach any more: {}", e.toString());
                            }
                            return;
                        }
                        accept.accept(connection(channel));
                    }
                },
                "ccr-editor-socket");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** Connects to the router serving the socket at {@code path}, as an editor does. */
    public static Connection connect(Path path) throws IOException {
        SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            channel.connect(UnixDomainSocketAddress.of(path));
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        return connection(channel);
    }

    private static Connection connection(SocketChannel channel) {
        InputStream in = ChannelStreams.input(channel);
        OutputStream out = ChannelStreams.output(channel);
        return new Connection() {
            @Override
            public InputStream input() {
                return in;
            }

            @Override
            public OutputStream output() {
                return out;
            }

            @Override
            public void close() {
                try {
                    channel.close();
                } catch (IOException ignored) {
                    // closing anyway
                }
            }
        };
    }

    /**
     * Stops accepting and gives the socket up: the file goes first, then the lock, so a router that takes over next
     * never has its fresh socket removed by this one.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            server.close();
        } catch (IOException ignored) {
            // giving it up anyway
        }
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            log.debug("cannot remove {}: {}", path, e.toString());
        }
        try {
            lockChannel.truncate(0);
            lock.release();
            lockChannel.close();
        } catch (IOException ignored) {
            // the OS releases it when the process ends
        }
    }
}
