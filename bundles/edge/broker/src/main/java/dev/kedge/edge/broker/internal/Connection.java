package dev.kedge.edge.broker.internal;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.ArrayDeque;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

import javax.net.ssl.SSLSocket;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.kedge.core.DaemonThreads;
import dev.kedge.core.Lane;
import dev.kedge.edge.broker.internal.mqtt.MalformedPacketException;
import dev.kedge.edge.broker.internal.mqtt.OversizePacketException;
import dev.kedge.edge.broker.internal.mqtt.Packet;
import dev.kedge.edge.broker.internal.mqtt.PacketReader;
import dev.kedge.edge.broker.internal.mqtt.PacketWriter;

/**
 * One network client: its blocking reader (the thread that runs this, {@code kedge-mqtt-<client id>}) handles the
 * packets it sends; everything to send goes through the {@link Broker}'s per-connection frames and is written by a
 * serial {@link Lane} on core's shared workers, so a client that reads slowly holds up only itself. Keep-alive is
 * the socket's read timeout: 1.5 times the client's keep-alive without a byte closes the connection.
 */
final class Connection implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(Connection.class);
    /** How long a new connection may take to send its CONNECT. */
    static final int CONNECT_TIMEOUT_MS = 10_000;

    private final Socket socket;
    private final Broker broker;
    private final BrokerSettings settings;
    private final BrokerCounters counters;
    private final PasswordAuthenticator auth;
    private final WriteWatchdog watchdog;
    private final Lane lane = DaemonThreads.onDemand("mqtt-out", 1, 2);
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile boolean takenOver;
    private volatile long writingSince; // System.nanoTime() when the lane's current write began; 0: not writing
    private volatile String name;
    private volatile OutputStream out; // written by the lane once connected

    /** Guarded by the broker's lock. */
    final ArrayDeque<byte[]> control = new ArrayDeque<>();
    /** Guarded by the broker's lock: a drain is queued on or running in the lane. */
    boolean scheduled;
    /** Set under the broker's lock when the CONNECT is accepted. */
    Session session;
    /** The last will, from the CONNECT; dropped on DISCONNECT. */
    volatile Packet.Will will;

    Connection(Socket socket, Broker broker, BrokerSettings settings, BrokerCounters counters,
            PasswordAuthenticator auth, WriteWatchdog watchdog) {
        this.watchdog = watchdog;
        this.socket = socket;
        this.broker = broker;
        this.settings = settings;
        this.counters = counters;
        this.auth = auth;
        this.name = remote();
    }

    String remote() {
        return address() + ":" + port();
    }

    String address() {
        return socket.getInetAddress().getHostAddress();
    }

    int port() {
        return socket.getPort();
    }

    /** The client id once connected, else the remote address. */
    String name() {
        return name;
    }

    @Override
    public void run() {
        boolean graceful = false;
        try {
            socket.setSoTimeout(CONNECT_TIMEOUT_MS);
            out = new BufferedOutputStream(socket.getOutputStream(), 8192);
            PacketReader reader = new PacketReader(new BufferedInputStream(socket.getInputStream(), 8192),
                    settings.maxMessageBytes());
            Packet first = reader.read();
            if (!(first instanceof Packet.Connect c)) {
                throw new MalformedPacketException("first packet is of type " + first.type() + ", not CONNECT");
            }
            if (!connect(c)) {
                return;
            }
            graceful = serve(reader);
        } catch (SocketTimeoutException e) {
            LOG.info("MQTT client {} sent nothing within its keep-alive: closing it", name);
        } catch (OversizePacketException e) {
            counters.oversize.incrementAndGet();
            LOG.warn("MQTT client {} sent a packet too large: {}; closing it", name, e.getMessage());
        } catch (MalformedPacketException e) {
            counters.malformed.incrementAndGet();
            LOG.warn("MQTT client {} sent a malformed packet: {}; closing it", name, e.getMessage());
        } catch (EOFException e) {
            LOG.debug("MQTT client {}: {}", name, e.getMessage());
        } catch (IOException e) {
            LOG.debug("MQTT client {} connection lost: {}", name, e.toString());
        } finally {
            close();
            lane.shutdown();
            Packet.Will w = broker.closed(this, graceful);
            if (w != null) {
                LOG.debug("MQTT client {} gone without DISCONNECT: publishing its will on {}", name, w.topic());
                broker.acceptFromClient(new Message(w.topic(), w.payload(), w.qos(), w.retain(), name, true));
            }
        }
    }

    /** Checks a CONNECT and answers it; false (refused, CONNACK written, connection to close) or true. */
    private boolean connect(Packet.Connect c) throws IOException {
        int refusal = -1;
        String id = c.clientId();
        if (!c.supported()) {
            refusal = Packet.ConnAck.BAD_PROTOCOL_VERSION;
        } else if (id.isEmpty() && !c.cleanSession()) {
            refusal = Packet.ConnAck.IDENTIFIER_REJECTED; // only a clean session can do with an id the broker makes
        } else if (auth != null && c.username() == null) {
            refusal = Packet.ConnAck.NOT_AUTHORIZED;
        } else if (auth != null && !auth.valid(c.username(), c.password())) {
            refusal = Packet.ConnAck.BAD_USERNAME_OR_PASSWORD;
        }
        if (refusal >= 0) {
            LOG.info("MQTT client '{}' from {} refused: CONNACK {} ({} level {})", id, remote(), refusal,
                    c.protocolName(), c.level());
            out.write(PacketWriter.encode(new Packet.ConnAck(false, refusal)));
            out.flush();
            return false;
        }
        if (id.isEmpty()) {
            id = "kedge-" + UUID.randomUUID();
        }
        name = id;
        Thread.currentThread().setName("kedge-mqtt-" + id);
        will = c.will();
        socket.setSoTimeout(c.keepAliveSeconds() * 1500); // 0: the client asked for no keep-alive
        broker.connect(this, id, c.cleanSession());
        return true;
    }

    /** Handles packets until DISCONNECT (returns true) or an error (throws). */
    private boolean serve(PacketReader reader) throws IOException {
        while (true) {
            Packet p = reader.read();
            if (p instanceof Packet.Publish pub) {
                publish(pub);
            } else if (p instanceof Packet.Ack a) {
                switch (a.type()) {
                    case Packet.PUBACK, Packet.PUBREC, Packet.PUBCOMP -> broker.acknowledged(this, a);
                    case Packet.PUBREL -> broker.released(this, a.packetId());
                    default -> throw new MalformedPacketException("UNSUBACK from a client");
                }
            } else if (p instanceof Packet.Subscribe s) {
                broker.subscribe(this, s);
            } else if (p instanceof Packet.Unsubscribe u) {
                broker.unsubscribe(this, u);
            } else if (p.type() == Packet.PINGREQ) {
                broker.control(this, Packet.Empty.PINGRESP);
            } else if (p.type() == Packet.DISCONNECT) {
                will = null;
                return true;
            } else {
                throw new MalformedPacketException("packet of type " + p.type() + " from a client");
            }
        }
    }

    /** Routes a client's PUBLISH, then acknowledges it; a re-sent QoS 2 one (same packet id) is not routed again. */
    private void publish(Packet.Publish p) {
        if (p.dup()) {
            counters.duplicates.incrementAndGet();
        }
        if (p.qos() < 2 || broker.firstQos2(this, p.packetId())) {
            counters.publishes.incrementAndGet();
            counters.payloadBytes.addAndGet(p.payload().length);
            broker.acceptFromClient(new Message(p.topic(), p.payload(), p.qos(), p.retain(), name, true));
        }
        if (p.qos() == 1) {
            broker.control(this, new Packet.Ack(Packet.PUBACK, p.packetId()));
        } else if (p.qos() == 2) {
            broker.control(this, new Packet.Ack(Packet.PUBREC, p.packetId()));
        }
    }

    /** Called under the broker's lock: makes sure a drain will run. */
    void kick() {
        if (scheduled || out == null) {
            return;
        }
        scheduled = true;
        try {
            lane.execute(this::drain);
        } catch (RejectedExecutionException e) { // shut down: the connection is closing
            scheduled = false;
        }
    }

    /** On the lane: writes what the broker has for this connection until nothing is left. */
    private void drain() {
        try {
            while (true) {
                List<byte[]> frames = broker.takeOutbound(this);
                if (frames.isEmpty()) {
                    return;
                }
                // per frame, not per batch: the deadline is for a write without progress, not for a long batch
                for (byte[] f : frames) {
                    startWrite();
                    out.write(f);
                }
                startWrite();
                out.flush();
                writingSince = 0;
            }
        } catch (IOException e) {
            writingSince = 0; // failed: nothing under way for the watchdog any more
            LOG.debug("MQTT client {}: write failed: {}", name, e.toString());
            close(); // the reader ends and cleans up
        }
    }

    /**
     * Marks a write under way, then gives it up if the connection was closed meanwhile. With {@link #close} setting
     * {@code closed} before it reads {@code writingSince}, either the closer sees this write (and does not linger)
     * or this write does not start: a TLS close never waits for a writer that blocked just after it looked.
     */
    private void startWrite() throws IOException {
        writingSince = System.nanoTime() | 1; // never 0 while writing
        if (closed.get()) {
            throw new SocketException("closed");
        }
        watchdog.writing();
    }

    boolean isWriting() {
        return writingSince != 0;
    }

    /**
     * How long the write under way has lasted, 0 if none is: a blocking socket write has no timeout of its own, so
     * the {@link WriteWatchdog} {@link #close}s a connection whose write lasts too long (the client stopped reading).
     */
    long writingForNanos() {
        long since = writingSince;
        return since == 0 ? 0 : System.nanoTime() - since;
    }

    /** A new connection with the same client id replaced this one: closed, its will dropped. */
    void takenOver() {
        takenOver = true;
        close();
    }

    boolean wasTakenOver() {
        return takenOver;
    }

    /**
     * Closes the socket (the reader then ends and cleans up); true for the call that closed it. With a write under
     * way it closes without lingering: a TLS socket would otherwise wait, without a bound, for the blocked writer's
     * lock to send its close_notify; the client gets a reset instead.
     */
    boolean close() {
        if (!closed.compareAndSet(false, true)) {
            return false;
        }
        try {
            if (writingSince != 0) {
                socket.setSoLinger(true, 0);
            } else if (!(socket instanceof SSLSocket)) {
                // a FIN first, as a Socket's close sends it: an accepted channel's socket closed by its own reader
                // with input unread would send only a reset, and the client could lose the last packets written
                socket.shutdownOutput();
            }
        } catch (IOException e) {
            LOG.debug("MQTT connection {}: not closed gracefully: {}", name, e.toString());
        }
        try {
            socket.close();
        } catch (IOException e) {
            LOG.debug("closing MQTT connection {}: {}", name, e.toString());
        }
        return true;
    }
}
