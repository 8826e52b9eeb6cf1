package dev.ccr.server.files;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
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
        removeLeftovers(target, LEFTOVER_AGE);
        Path temp;
        try {
            temp = Files.createTempFile(directory, tempPrefix(target), ".tmp");
        } catch (IOException e) {
            throw failure(e, directory);
        }
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
        } catch (IOException e) {
            throw failure(e, directory);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** How old a temporary file must be before any writer takes it for the leftover of an interrupted write. */
    private static final Duration LEFTOVER_AGE = Duration.ofMinutes(1);

    /**
     * Deletes temporary files that an interrupted {@link #write} ({@code kill -9}, a crash, a full disk) left next to
     * {@code file}, when they are at least {@code age} old. A caller holding a lock that excludes other writers of the
     * file may pass {@link Duration#ZERO}.
     */
    public static void removeLeftovers(Path file, Duration age) {
        Path target;
        try {
            target = Files.isSymbolicLink(file) ? file.toRealPath() : file.toAbsolutePath();
        } catch (IOException e) {
            return; // a dangling link: the write will say what is wrong
        }
        Path directory = target.getParent();
        String prefix = tempPrefix(target);
        long cutoff = System.currentTimeMillis() - age.toMillis();
        try (DirectoryStream<Path> temps = Files.newDirectoryStream(directory, prefix + "*.tmp")) {
            for (Path temp : temps) {
                String middle = temp.getFileName().toString();
                middle = middle.substring(prefix.length(), middle.length() - ".tmp".length());
                if (!middle.isEmpty()
                        && middle.chars().allMatch(Character::isDigit)
                        && Files.getLastModifiedTime(temp, LinkOption.NOFOLLOW_LINKS)
                                        .toMillis()
                                <= cutoff) {
                    Files.deleteIfExists(temp);
                }
            }
        } catch (IOException | java.io.UncheckedIOException e) {
            // best effort: a leftover costs disk space, not correctness
        }
    }

    /** Temporary files are {@code .<name><digits>.tmp} next to the file, as {@link Files#createTempFile} names them. */
    private static String tempPrefix(Path target) {
        return "." + target.getFileName();
    }

    /**
     * A failure that names what matters to the user: the directory the write needs, and in plain words why, rather
     * than the random name of a temporary file they never asked for.
     */
    private static IOException failure(IOException e, Path directory) {
        String why;
        if (e instanceof AccessDeniedException) {
            why = "permission denied";
        } else if (e instanceof FileSystemException fs && fs.getReason() != null) {
            why = fs.getReason();
        } else {
            why = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage());
        }
        return new IOException(
                why + " (ccr writes a temporary file in " + directory + " and renames it over the file)", e);
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
