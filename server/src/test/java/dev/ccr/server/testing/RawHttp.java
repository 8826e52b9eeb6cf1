package dev.ccr.server.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * HTTP/1.1 written by hand on a socket, for what ordinary clients refuse to send: a foreign {@code Host}, unusual path
 * spellings, ambiguous framing, bytes trickled slowly.
 */
public final class RawHttp {
    private RawHttp() {}

    /** What came back on a connection, and whether the server closed it. */
    public record Reply(String text, boolean closed) {
        /** The status of the first response, or 0 when none arrived. */
        public int status() {
            return text.startsWith("HTTP/1.1 ") ? Integer.parseInt(text.substring(9, 12)) : 0;
        }

        /** How many responses arrived. */
        public int responses() {
            int count = 0;
            for (int at = text.indexOf("HTTP/1.1 "); at >= 0; at = text.indexOf("HTTP/1.1 ", at + 1)) {
                count++;
            }
            return count;
        }
    }

    /**
     * Sends {@code request} as is and reads until the server closes the connection or stays silent for {@code
     * quietMillis}.
     */
    public static Reply exchange(int port, String request, int quietMillis) {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.getOutputStream().write(request.getBytes(StandardCharsets.UTF_8));
            socket.getOutputStream().flush();
            return read(socket, quietMillis);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads until the server closes the connection (then {@code closed}) or stays silent for {@code quietMillis}. */
    public static Reply read(Socket socket, int quietMillis) throws IOException {
        socket.setSoTimeout(quietMillis);
        ByteArrayOutputStream seen = new ByteArrayOutputStream();
        InputStream in = socket.getInputStream();
        byte[] buffer = new byte[8192];
        try {
            while (true) {
                int n = in.read(buffer);
                if (n < 0) {
                    return new Reply(seen.toString(StandardCharsets.UTF_8), true);
                }
                seen.write(buffer, 0, n);
            }
        } catch (SocketTimeoutException e) {
            return new Reply(seen.toString(StandardCharsets.UTF_8), false);
        } catch (IOException e) {
            // A reset after the server closed its side counts as closed.
            return new Reply(seen.toString(StandardCharsets.UTF_8), true);
        }
    }

    /** A request with {@code Connection: close}, so the reply ends when the server has answered. */
    public static Reply request(int port, String method, String path, String host, String extraHeaders, String body) {
        String request = method + " " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n" + extraHeaders
                + (body == null
                        ? ""
                        : "Content-Type: application/json\r\nContent-Length: "
                                + body.getBytes(StandardCharsets.UTF_8).length + "\r\n")
                + "\r\n" + (body == null ? "" : body);
        return exchange(port, request, 10_000);
    }
}
