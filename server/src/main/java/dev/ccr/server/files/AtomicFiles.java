package dev.ccr.server.files;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.Set;

/**
 * Writes files so that a reader (or a crash) sees either the old content or the new, never a mix: the bytes go to a
 * temporary file next to the target, are forced to disk, and the temporary file is renamed over the target.
 */
public final class AtomicFiles {
    /** Owner read/write only: for files that hold credentials. */
    public static final Set<PosixFilePermission> PRIVATE = PosixFilePermissions.fromString("rw-------");

    private AtomicFiles() {}

    /** The file's bytes, or empty when it does not exist. */
    public static Optional<byte[]> read(Path file) throws IOException {
        try {
            return Optional.of(Files.readAllBytes(file));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    /**
     * Replaces a file's content. A symbolic link is followed and its target replaced (dotfile managers link settings
     * files; renaming over the link would cut it). An existing file keeps its permissions.
     *
     * @param newFilePermissions permissions for a file that does not exist yet; {@code null} for the default
     */
    public static void write(Path file, byte[] bytes, Set<PosixFilePermission> newFilePermissions) throws IOException {
        Path target = Files.isSymbolicLink(file) ? file.toRealPath() : file.toAbsolutePath();
        Path directory = target.getParent();
        Files.createDirectories(directory);
        Set<PosixFilePermission> permissions = permissionsOf(target).orElse(newFilePermissions);
        Path temp = Files.createTempFile(directory, "." + target.getFileName(), ".tmp");
        try {
            if (permissions != null && supportsPosix(temp)) {
                Files.setPosixFilePermissions(temp, permissions);
            }
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(bytes);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            try {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            syncDirectory(directory);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private static Optional<Set<PosixFilePermission>> permissionsOf(Path file) {
        try {
            return supportsPosix(file) && Files.exists(file)
                    ? Optional.of(Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS))
                    : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static boolean supportsPosix(Path file) {
        return file.getFileSystem().supportedFileAttributeViews().contains("posix");
    }

    /** Makes the rename itself durable; not possible everywhere (Windows), where the rename has to do. */
    private static void syncDirectory(Path directory) {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // best effort
        }
    }
}
