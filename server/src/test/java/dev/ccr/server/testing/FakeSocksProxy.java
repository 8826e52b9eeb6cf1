package dev.ccr.server.testing;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A SOCKS5 proxy (RFC 1928, no authentication, CONNECT only) on 127.0.0.1 for tests. It connects to where {@code hosts}
 * says each host name is, so a client must hand it the name unresolved: only the proxy can reach that host.
 */
public final class FakeSocksProxy implements AutoCloseable {
    private final ServerSocket server;
    private final Map<String, Integer> hosts;
    private final List<String> connected = new CopyOnWriteArrayList<>();

    public FakeSocksProxy(Map<String, Integer> hosts) throws IOException {
        this.hosts = hosts;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "fake-socks-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public int port() {
        return server.getLocalPort();
    }

    /** The {@code host:port} of each CONNECT, as the client named it. */
    public List<String> connected() {
        return connected;
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Thread session = new Thread(() -> session(client), "fake-socks-session");
                session.setDaemon(true);
                session.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void session(Socket client) {
        try (client) {
            DataInputStream in = new DataInputStream(client.getInputStream());
            OutputStream out = client.getOutputStream();
            if (in.readUnsignedByte() != 5) {
                return;
            }
            in.readFully(new byte[in.readUnsignedByte()]); // the offered methods: we take "no authentication"
            out.write(new byte[] {5, 0});
            byte[] head = new byte[4];
            in.readFully(head);
            String host;
            switch (head[3]) {
                case 1 -> {
                    byte[] address = new byte[4];
                    in.readFully(address);
                    host = InetAddress.getByAddress(address).getHostAddress();
                }
                case 3 -> {
                    byte[] name = new byte[in.readUnsignedByte()];
                    in.readFully(name);
                    host = new String(name, StandardCharsets.US_ASCII);
                }
                default -> {
                    out.write(new byte[] {5, 8, 0, 1, 0, 0, 0, 0, 0, 0}); // address type not supported
                    return;
                }
            }
            int port = in.readUnsignedShort();
            connected.add(host + ":" + port);
            Integer target = hosts.get(host);
            if (head[1] != 1 || target == null) {
                out.write(new byte[] {5, 4, 0, 1, 0, 0, 0, 0, 0, 0}); // host unreachable
                return;
            }
            try (Socket upstream = new Socket(InetAddress.getLoopbackAddress(), target)) {
                out.write(new byte[] {5, 0, 0, 1, 127, 0, 0, 1, 0, 0});
                out.flush();
                Thread back = new Thread(() -> pipe(upstream, client), "fake-socks-back");
                back.setDaemon(true);
                back.start();
                pipe(client, upstream);
                back.join(10_000);
            }
        } catch (IOException | InterruptedException e) {
            // The client went away; the session is over.
        }
    }

    private static void pipe(Socket from, Socket to) {
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            byte[] buffer = new byte[8192];
            for (int n; (n = in.read(buffer)) > 0; ) {
                out.write(buffer, 0, n);
                out.flush();
            }
            to.shutdownOutput();
        } catch (IOException e) {
            // One side closed; the other copy ends on its own.
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
