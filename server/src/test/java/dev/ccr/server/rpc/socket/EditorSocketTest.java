package dev.ccr.server.rpc.socket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Owning the editors' socket: one owner, stale files taken over, owner-only, given up cleanly. */
class EditorSocketTest {
    @TempDir
    Path directory;

    private Path socket() {
        return directory.resolve("rpc").resolve("0123456789abcdef.sock");
    }

    @Test
    void oneOwnerAtATimeAndTheOthersLearnWhichProcess() throws Exception {
        EditorSocket.Claim first = EditorSocket.claim(socket());
        assertThat(first).isInstanceOf(EditorSocket.Claim.Owned.class);
        try (EditorSocket owned = ((EditorSocket.Claim.Owned) first).socket()) {
            EditorSocket.Claim second = EditorSocket.claim(socket());
            assertThat(second).isInstanceOf(EditorSocket.Claim.Taken.class);
            assertThat(((EditorSocket.Claim.Taken) second).pid())
                    .hasValue(ProcessHandle.current().pid());
            assertThat(Files.exists(socket()))
                    .as("the loser leaves the owner's socket alone")
                    .isTrue();
        }
        assertThat(Files.exists(socket())).isFalse();
        EditorSocket.Claim again = EditorSocket.claim(socket());
        assertThat(again).as("closing gives it up").isInstanceOf(EditorSocket.Claim.Owned.class);
        ((EditorSocket.Claim.Owned) again).socket().close();
    }

    @Test
    void aSocketLeftBehindByACrashIsTakenOver() throws Exception {
        Files.createDirectories(socket().getParent());
        // What a killed router leaves: a bound socket file nobody listens on, and an unlocked lock file.
        try (ServerSocketChannel dead = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            dead.bind(UnixDomainSocketAddress.of(socket()));
        }
        Files.writeString(EditorSocket.lockFile(socket()), "999999");
        assertThat(Files.exists(socket())).isTrue();
        assertThatThrownBy(() -> EditorSocket.connect(socket())).isInstanceOf(IOException.class);

        EditorSocket.Claim claim = EditorSocket.claim(socket());

        assertThat(claim).isInstanceOf(EditorSocket.Claim.Owned.class);
        try (EditorSocket owned = ((EditorSocket.Claim.Owned) claim).socket()) {
            assertThat(EditorSocket.ownerOf(socket()))
                    .hasValue(ProcessHandle.current().pid());
            BlockingQueue<String> received = new ArrayBlockingQueue<>(1);
            owned.serve(connection -> {
                try (InputStream in = connection.input()) {
                    received.add(new String(in.readAllBytes(), StandardCharsets.UTF_8));
                } catch (IOException e) {
                    received.add(e.toString());
                }
            });
            EditorSocket.Connection client = EditorSocket.connect(socket());
            client.output().write("hello".getBytes(StandardCharsets.UTF_8));
            client.close();
            assertThat(received.poll(10, TimeUnit.SECONDS)).isEqualTo("hello");
        }
    }

    @Test
    void onlyItsUserCanOpenIt() throws Exception {
        Files.createDirectories(socket().getParent());
        Files.setPosixFilePermissions(socket().getParent(), PosixFilePermissions.fromString("rwxr-xr-x"));
        try (EditorSocket owned = ((EditorSocket.Claim.Owned) EditorSocket.claim(socket())).socket()) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(socket().getParent())))
                    .isEqualTo("rwx------");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(socket())))
                    .isEqualTo("rw-------");
        }
    }

    @Test
    void aFileWhereTheFolderShouldBeIsReportedNotUsed() throws Exception {
        Files.writeString(directory.resolve("rpc"), "not a folder");
        assertThatThrownBy(() -> EditorSocket.claim(socket()))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("is not a directory");
    }
}
