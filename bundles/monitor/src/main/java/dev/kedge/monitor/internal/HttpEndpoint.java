package dev.kedge.monitor.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiFunction;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.kedge.core.DaemonThreads;
import dev.kedge.core.Lane;
import dev.kedge.core.net.Acceptor;
import dev.kedge.core.net.Listening;

/**
 * A minimal HTTP/1.1 server for GET requests without bodies: accepted by core's {@link Acceptor} (one thread for every
 * listener), served by a few workers that end when idle, at most {@code maxConnections} connections open (more are
 * closed at once), request line and headers bounded in size and in time (the idle timeout counts from the accept),
 * one request per connection. Chosen over the JDK's
 * {@code com.sun.net.httpserver}, which cannot cap connections nor bound the time to read a request per server.
 */
final class HttpEndpoint implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HttpEndpoint.class);

    final LongAdder requests = new LongAdder();
    final LongAdder refused = new LongAdder();
    final LongAdder timedOut = new LongAdder();
    final LongAdder badRequests = new LongAdder();

    private final MonitorSettings settings;
    private final BiFunction<String, String, HttpResponse> handler;
    private final Semaphore slots;
    private final Lane workers;
    private final Listening listening;

    /** @param handler (method, path without query) → response */
    HttpEndpoint(MonitorSettings settings, BiFunction<String, String, HttpResponse> handler, Acceptor acceptor)
            throws IOException {
        this.settings = settings;
        this.handler = handler;
        this.slots = new Semaphore(settings.maxConnections());
        // connections wait in the queue for a worker; the slots keep the queue from ever being full. Between scrapes
        // (15 s or more) no thread of the monitor is left: the lane's workers end after 5 s idle
        this.workers = DaemonThreads.onDemand("monitor", settings.workerThreads(), settings.maxConnections());
        this.listening = acceptor.listen("monitor-accept",
                new InetSocketAddress(InetAddress.getByName(settings.address()), settings.port()),
                settings.maxConnections(), this::accepted);
    }

    int port() {
        return listening.port();
    }

    String address() {
        return settings.address() + ":" + port();
    }

    @Override
    public void close() {
        listening.close();
        workers.shutdownNow();
        try {
            workers.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** On the accept lane: a worker for the connection if a slot is free, else it is closed at once. */
    private void accepted(SocketChannel channel) {
        Socket socket = channel.socket();
        long deadline = System.nanoTime() + settings.idleTimeout().toNanos();
        if (!slots.tryAcquire()) {
            refused.increment();
            closeQuietly(socket);
            return;
        }
        try {
            workers.execute(() -> {
                try {
                    serve(socket, deadline);
                } finally {
                    closeQuietly(socket);
                    slots.release();
                }
            });
        } catch (RejectedExecutionException e) {
            closeQuietly(socket);
            slots.release();
        }
    }

    private void serve(Socket socket, long deadline) {
        try {
            String head = readHead(socket, deadline);
            if (head == null) {
                return;
            }
            HttpResponse response = answer(head);
            if (response.status() >= 400 && response.status() != 503) {
                badRequests.increment();
            }
            socket.setSoTimeout((int) settings.idleTimeout().toMillis());
            socket.getOutputStream().write(response.bytes());
            socket.getOutputStream().flush();
            // the end before the close: a channel's socket, closed with the rest of a long request unread, would
            // send only a reset, and the client could lose the answer
            socket.shutdownOutput();
            requests.increment();
        } catch (SocketTimeoutException e) {
            timedOut.increment();
        } catch (IOException e) {
            LOG.debug("monitor request failed: {}", e.toString());
        }
    }

    private HttpResponse answer(String head) {
        if (head.length() > settings.maxRequestBytes()) {
            return HttpResponse.text(431, "request too large\n");
        }
        int eol = head.indexOf('\n');
        String[] line = (eol < 0 ? head : head.substring(0, eol)).trim().split(" ");
        if (line.length != 3 || !line[2].startsWith("HTTP/1.")) {
            return HttpResponse.text(400, "bad request line\n");
        }
        if (!line[0].equals("GET")) {
            return HttpResponse.text(405, "only GET\n");
        }
        String target = line[1];
        int query = target.indexOf('?');
        return handler.apply(line[0], query < 0 ? target : target.substring(0, query));
    }

    /**
     * The request line and headers, up to the empty line; {@code null} when the client went away or the deadline
     * passed (counted); longer than the bound = a string longer than it, answered 431.
     */
    private String readHead(Socket socket, long deadline) throws IOException {
        byte[] buf = new byte[settings.maxRequestBytes() + 1];
        int n = 0;
        InputStream in = socket.getInputStream();
        while (n < buf.length) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left <= 0) {
                timedOut.increment();
                return null;
            }
            socket.setSoTimeout((int) Math.max(1, left));
            int r;
            try {
                r = in.read(buf, n, buf.length - n);
            } catch (SocketTimeoutException e) {
                timedOut.increment();
                return null;
            } catch (SocketException e) {
                return null;
            }
            if (r < 0) {
                return null;
            }
            n += r;
            String s = new String(buf, 0, n, StandardCharsets.ISO_8859_1);
            if (s.contains("\r\n\r\n") || s.contains("\n\n")) {
                return s;
            }
        }
        return new String(buf, 0, n, StandardCharsets.ISO_8859_1);
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // nothing to do
        }
    }
}
