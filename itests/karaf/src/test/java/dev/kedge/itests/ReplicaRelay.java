package dev.kedge.itests;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The one address edges know, in front of several cloud replicas: a loopback TCP relay (what a Service or TCP load
 * balancer does). A new connection goes to the first replica; when that one refuses (it died), to the next. When a
 * replica dies its relayed connections end, so its edges dial again and land on a live one. At most {@code maxLinks}
 * connections at a time (two pump threads each, from one bounded pool); more are refused. {@link #close} ends all.
 */
final class ReplicaRelay implements AutoCloseable {
    private final ServerSocket server;
    private final List<Integer> targets;
    private final ThreadPoolExecutor pumps;
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    /** Target port → connections relayed to it so far. */
    final Map<Integer, AtomicInteger> relayed = new ConcurrentHashMap<>();
    private final Thread acceptor;

    ReplicaRelay(List<Integer> targetPorts, int maxLinks) throws IOException {
        this.targets = List.copyOf(targetPorts);
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        // no queue: a pump either gets a thread now or the connection is refused
        this.pumps = new ThreadPoolExecutor(0, 2 * maxLinks, 10, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
            Thread t = new Thread(r, "replica-relay-pump");
            t.setDaemon(true);
            return t;
        });
        this.acceptor = new Thread(this::acceptLoop, "replica-relay-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return server.getLocalPort();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                return; // closed
            }
            Socket upstream = dial();
            if (upstream == null) {
                closeQuietly(client); // no replica answers: the edge retries
                continue;
            }
            open.add(client);
            open.add(upstream);
            try {
                pumps.execute(() -> pump(client, upstream));
                pumps.execute(() -> pump(upstream, client));
            } catch (java.util.concurrent.RejectedExecutionException full) {
                closeQuietly(client);
                closeQuietly(upstream);
            }
        }
    }

    /** The first replica that accepts, in order; null when none does. */
    private Socket dial() {
        for (int port : targets) {
            Socket s = new Socket();
            try {
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 2_000);
                relayed.computeIfAbsent(port, p -> new AtomicInteger()).incrementAndGet();
                return s;
            } catch (IOException refused) {
                closeQuietly(s);
            }
        }
        return null;
    }

    /** Copies until either side ends, then closes both (so the other pump ends too). */
    private void pump(Socket from, Socket to) {
        byte[] buffer = new byte[16 * 1024];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // one side ended
        } finally {
            closeQuietly(from);
            closeQuietly(to);
            open.remove(from);
            open.remove(to);
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    @Override
    public void close() throws Exception {
        server.close();
        open.forEach(ReplicaRelay::closeQuietly);
        pumps.shutdownNow();
        acceptor.join(5_000);
        if (!pumps.awaitTermination(5, TimeUnit.SECONDS)) {
            throw new IllegalStateException("relay pumps still running after 5 s");
        }
    }
}
