package dev.kedge.cloud.hub.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.ssl.SslConnection;
import org.eclipse.jetty.io.ssl.SslHandshakeListener;
import org.eclipse.jetty.server.AbstractMetaDataConnection;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * Bounds the connections of one port that have not proved anything yet. A connection counts from its accept until it
 * has finished TLS and the WebSocket upgrade ({@link Until#UPGRADE}, the edge port) or, on the certificate port, for
 * its whole short life ({@link Until#CLOSE}). Over the total or the per-address cap it is closed at once; one that has
 * not finished in time (TLS + upgrade, or TLS alone on the certificate port) is closed at the deadline. Everything
 * refused or cut is counted. Deadlines run on the server's own scheduler thread: no thread of ours.
 */
// HTTP/1.1 connections are AbstractMetaDataConnection (their class is Jetty-internal); WebSocket ones are not
final class ConnectionGuard implements Connection.Listener, SslHandshakeListener {

    /** When a connection stops counting against the caps. */
    enum Until {
        /** TLS done and upgraded to WebSocket (mutual TLS: the client proved its certificate). */
        UPGRADE,
        /** Closed; the deadline still covers only the TLS handshake. */
        CLOSE
    }

    final LongAdder refusedOverLimit = new LongAdder();
    final LongAdder refusedPerAddress = new LongAdder();
    final LongAdder closedAtDeadline = new LongAdder();

    private final Until until;
    private final Duration deadline;
    private final int maxPending;
    private final int maxPerAddress;
    private final Supplier<Scheduler> scheduler;
    private final Map<SocketAddress, Pending> pending = new ConcurrentHashMap<>();
    // a closed endpoint no longer knows its remote address: each TLS connection's key, kept from its opening
    private final Map<Connection, SocketAddress> keys = new ConcurrentHashMap<>();
    private final Map<InetAddress, Integer> perAddress = new ConcurrentHashMap<>();
    private final AtomicInteger total = new AtomicInteger();

    private static final class Pending {
        final InetAddress address;
        final Socket socket;
        volatile EndPoint endPoint; // once Jetty made a connection of the socket
        volatile Scheduler.Task timer;
        volatile boolean handshaken;

        Pending(InetAddress address, Socket socket) {
            this.address = address;
            this.socket = socket;
        }
    }

    ConnectionGuard(Until until, Duration deadline, int maxPending, int maxPerAddress, Supplier<Scheduler> scheduler) {
        this.until = until;
        this.deadline = deadline;
        this.maxPending = maxPending;
        this.maxPerAddress = maxPerAddress;
        this.scheduler = scheduler;
    }

    /** Connections counted now. */
    int pending() {
        return total.get();
    }

    /**
     * Called on the acceptor thread for each accepted socket, before Jetty registers it: false = closed at once.
     * One acceptor thread, so check-then-add needs no lock; releases from other threads only lower the counts.
     */
    boolean admit(Socket socket) {
        if (!(socket.getRemoteSocketAddress() instanceof InetSocketAddress remote)) {
            return true;
        }
        InetAddress address = remote.getAddress();
        if (total.get() >= maxPending) {
            refusedOverLimit.increment();
            closeQuietly(socket);
            return false;
        }
        boolean[] room = {false};
        perAddress.compute(address, (a, n) -> {
            int count = n == null ? 0 : n;
            room[0] = count < maxPerAddress;
            return room[0] ? Integer.valueOf(count + 1) : n;
        });
        if (!room[0]) {
            refusedPerAddress.increment();
            closeQuietly(socket);
            return false;
        }
        total.incrementAndGet();
        Pending p = new Pending(address, socket);
        pending.put(remote, p);
        // the deadline starts at the accept, so even a socket Jetty never gets to is released
        p.timer = scheduler.get().schedule(() -> expire(remote, p), deadline);
        return true;
    }

    @Override
    public void onOpened(Connection connection) {
        SocketAddress key = connection.getEndPoint().getRemoteSocketAddress();
        if (connection instanceof SslConnection) {
            Pending p = pending.get(key);
            if (p != null) {
                keys.put(connection, key);
                p.endPoint = connection.getEndPoint();
            }
        } else if (until == Until.UPGRADE && !(connection instanceof AbstractMetaDataConnection)) {
            release(key); // the WebSocket connection that replaced HTTP on this endpoint
        }
    }

    @Override
    public void onClosed(Connection connection) {
        if (connection instanceof SslConnection) {
            SocketAddress key = keys.remove(connection);
            if (key != null) {
                release(key);
            }
        } else if (until == Until.UPGRADE && connection instanceof AbstractMetaDataConnection
                && connection.getEndPoint().isOpen()) {
            release(connection.getEndPoint().getRemoteSocketAddress()); // HTTP gave its endpoint away: upgraded
        }
    }

    @Override
    public void handshakeSucceeded(Event event) {
        Pending p = pending.get(event.getEndPoint().getRemoteSocketAddress());
        if (p != null && until == Until.CLOSE) {
            p.handshaken = true;
            Scheduler.Task t = p.timer;
            if (t != null) {
                t.cancel();
            }
        }
    }

    private void expire(SocketAddress key, Pending p) {
        if (pending.get(key) == p && !p.handshaken) {
            release(key); // before the count: whoever sees the count sees the connection released
            closedAtDeadline.increment();
            EndPoint endPoint = p.endPoint;
            if (endPoint != null) {
                endPoint.close(); // Jetty's own close: its connections are told, its selector lets go at once
            } else {
                closeQuietly(p.socket);
            }
        }
    }

    private void release(SocketAddress key) {
        Pending p = pending.remove(key);
        if (p == null) {
            return;
        }
        Scheduler.Task t = p.timer;
        if (t != null) {
            t.cancel();
        }
        total.decrementAndGet();
        perAddress.computeIfPresent(p.address, (a, n) -> n <= 1 ? null : n - 1);
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.setSoLinger(true, 0); // RST: no FIN_WAIT/TIME_WAIT left behind for a refused stranger
            socket.close();
        } catch (IOException e) {
            // gone anyway
        }
    }
}
