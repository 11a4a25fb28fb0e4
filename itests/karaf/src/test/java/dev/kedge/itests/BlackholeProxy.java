package dev.kedge.itests;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A loopback TCP relay the test controls: {@link #blackholeCurrent()} makes every open connection silently swallow
 * traffic in both directions while staying open — the half-open link a Wi-Fi switch or NAT timeout leaves behind.
 * Connections made afterwards are relayed normally. Daemon threads; {@link #close()} ends everything.
 */
final class BlackholeProxy implements AutoCloseable {
    private final ServerSocket server;
    private final int targetPort;
    private final List<Link> links = new CopyOnWriteArrayList<>();
    final List<Long> acceptedAtNanos = new CopyOnWriteArrayList<>();

    BlackholeProxy(int targetPort) throws IOException {
        this.targetPort = targetPort;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread t = new Thread(this::acceptLoop, "blackhole-proxy-accept");
        t.setDaemon(true);
        t.start();
    }

    int port() {
        return server.getLocalPort();
    }

    void blackholeCurrent() {
        links.forEach(l -> l.blackholed = true);
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                acceptedAtNanos.add(System.nanoTime());
                Socket upstream = new Socket();
                try {
                    upstream.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort), 5000);
                } catch (IOException down) {
                    // the cloud is down: close at once, as its refused port would, rather than leave the edge
                    // waiting for a handshake until its connect timeout (its status then reads CONNECTING)
                    client.close();
                    continue;
                }
                Link link = new Link(client, upstream);
                links.add(link);
                pump(link, client.getInputStream(), upstream.getOutputStream(), true);
                pump(link, upstream.getInputStream(), client.getOutputStream(), false);
            } catch (IOException e) {
                // accept ended: the proxy is closing
            }
        }
    }

    /** When the edge gave up on a black-holed link (it closed its socket), or 0. */
    long clientGaveUpAtNanos() {
        return links.stream().filter(l -> l.blackholed).mapToLong(l -> l.clientGoneNanos).max().orElse(0);
    }

    private static void pump(Link link, InputStream in, OutputStream out, boolean fromClient) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[16 * 1024];
            try {
                int n;
                while ((n = in.read(buf)) >= 0) {
                    if (!link.blackholed) {
                        out.write(buf, 0, n);
                        out.flush();
                    }
                }
            } catch (IOException e) {
                // closed
            } finally {
                if (fromClient) {
                    link.clientGoneNanos = System.nanoTime();
                }
                if (!link.blackholed) {
                    link.close();
                }
            }
        }, "blackhole-proxy-pump");
        t.setDaemon(true);
        t.start();
    }

    @Override
    public void close() throws IOException {
        server.close();
        links.forEach(Link::close);
    }

    private static final class Link {
        final Socket a;
        final Socket b;
        volatile boolean blackholed;
        volatile long clientGoneNanos;

        Link(Socket a, Socket b) {
            this.a = a;
            this.b = b;
        }

        void close() {
            try {
                a.close();
            } catch (IOException e) {
                // best effort
            }
            try {
                b.close();
            } catch (IOException e) {
                // best effort
            }
        }
    }
}
