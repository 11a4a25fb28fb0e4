package dev.kedge.edge.broker.internal;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.kedge.edge.broker.BrokerClient;
import dev.kedge.edge.broker.internal.mqtt.Packet;
import dev.kedge.edge.broker.internal.mqtt.PacketWriter;

/**
 * The broker's state behind one lock: the open connections, the {@link Sessions}, delivery ({@link Router}) and
 * what each connection has to send. Every change happens under this object's lock and is quick (no I/O):
 * connections' readers call in, and each connection's write lane takes its frames out ({@link #takeOutbound}) to
 * write them without the lock.
 */
final class Broker {
    private static final Logger LOG = LoggerFactory.getLogger(Broker.class);
    /** Frames taken per write batch. */
    private static final int BATCH = 256;

    private final Set<Connection> connections = new HashSet<>();
    private final Sessions sessions;
    private final Router router;
    private final BrokerCounters counters;
    private final InProcessTaps taps;
    private final int maxConnections;
    private final int maxInFlight;
    private final int maxPendingAcks; // replies besides deliveries (acks, CONNACK...): more means it stopped reading
    private final Runnable changed; // a persistent session or a retained message changed
    private final Object tapOrder = new Object();
    private boolean stopped;
    private long refusalLoggedNanos;

    Broker(BrokerSettings s, BrokerCounters counters, InProcessTaps taps, Runnable changed) {
        this(s, counters, taps, changed, System::currentTimeMillis);
    }

    Broker(BrokerSettings s, BrokerCounters counters, InProcessTaps taps, Runnable changed, LongSupplier clock) {
        this.router = new Router(s, counters, changed);
        this.sessions = new Sessions(s, router, clock, changed);
        this.maxConnections = s.maxConnections();
        this.maxInFlight = s.maxInFlight();
        this.maxPendingAcks = s.maxPendingAcks();
        this.counters = counters;
        this.taps = taps;
        this.changed = changed;
    }

    /** False once stopped or with maxConnections open (counted, logged at most every 10 s): the caller closes it. */
    synchronized boolean opened(Connection c) {
        if (stopped) {
            return false;
        }
        if (connections.size() >= maxConnections) {
            long n = counters.refused.incrementAndGet();
            long now = System.nanoTime();
            if (n == 1 || now - refusalLoggedNanos >= TimeUnit.SECONDS.toNanos(10)) {
                refusalLoggedNanos = now;
                LOG.warn("MQTT connection from {} refused: maxConnections {} open ({} refused since start)",
                        c.remote(), maxConnections, n);
            }
            return false;
        }
        connections.add(c);
        return true;
    }

    /** An accepted CONNECT: the session attached (see {@link Sessions#attach}), in-flight deliveries re-sent. */
    synchronized void connect(Connection c, String clientId, boolean cleanSession) {
        boolean present = sessions.attach(c, clientId, cleanSession);
        Session s = c.session;
        counters.connects.incrementAndGet();
        control(c, new Packet.ConnAck(present, Packet.ConnAck.ACCEPTED));
        for (Map.Entry<Integer, Session.InFlight> e : s.inFlight.entrySet()) { // sent before, not acknowledged
            Session.InFlight f = e.getValue();
            control(c, f.released ? new Packet.Ack(Packet.PUBREL, e.getKey()) : publish(f.delivery, e.getKey(), true));
        }
        c.kick();
    }

    /** The connection's end; a will to publish is handed back (null if none is due). */
    synchronized Packet.Will closed(Connection c, boolean graceful) {
        connections.remove(c);
        sessions.detach(c);
        return graceful || stopped || c.wasTakenOver() ? null : c.will;
    }

    /** A network client's message: retained, routed, then heard by the taps; in one order across all clients. */
    void acceptFromClient(Message m) {
        synchronized (tapOrder) {
            route(m);
            taps.heard(m);
        }
    }

    /** The broker's own publish; false if stopped, or some sessions subscribe and none could queue it. */
    boolean publishInternal(Message m) {
        return route(m);
    }

    private synchronized boolean route(Message m) {
        return !stopped && router.route(m);
    }

    /** SUBSCRIBE: SUBACK, then the retained messages the new subscriptions match. */
    synchronized void subscribe(Connection c, Packet.Subscribe p) {
        Session s = c.session;
        List<Session.Delivery> retainedOnes = new ArrayList<>();
        List<Integer> codes = router.subscribe(s, p.subscriptions(), retainedOnes);
        control(c, new Packet.SubAck(p.packetId(), codes));
        retainedOnes.forEach(d -> router.deliver(s, d));
        if (s.persistent) {
            changed.run();
        }
    }

    synchronized void unsubscribe(Connection c, Packet.Unsubscribe p) {
        Session s = c.session;
        router.unsubscribe(s, p.filters());
        control(c, new Packet.Ack(Packet.UNSUBACK, p.packetId()));
        if (s.persistent) {
            changed.run();
        }
    }

    /**
     * An inbound QoS 2 PUBLISH: true the first time its packet id is seen, false for a re-sent one. A persistent
     * session saves the id: a restart in between must not make the re-sent one new.
     */
    synchronized boolean firstQos2(Connection c, int packetId) {
        Session s = c.session;
        boolean first = s.qos2Received.add(packetId);
        if (first && s.persistent) {
            changed.run();
        }
        return first;
    }

    /** PUBREL from the client: the QoS 2 packet id is released. */
    synchronized void released(Connection c, int packetId) {
        Session s = c.session;
        if (s.qos2Received.remove(packetId) && s.persistent) {
            changed.run();
        }
        control(c, new Packet.Ack(Packet.PUBCOMP, packetId));
    }

    /** PUBACK, PUBREC or PUBCOMP from the client for one of our deliveries. */
    synchronized void acknowledged(Connection c, Packet.Ack a) {
        Session s = c.session;
        Session.InFlight f = s.inFlight.get(a.packetId());
        if (f == null) {
            return; // already acknowledged, or never ours: harmless
        }
        if (a.type() == Packet.PUBREC) {
            f.released = true;
            control(c, new Packet.Ack(Packet.PUBREL, a.packetId()));
        } else {
            s.inFlight.remove(a.packetId());
            c.kick(); // room in the window
        }
        if (s.persistent) {
            changed.run();
        }
    }

    /** A frame for the connection besides deliveries; a client that lets them pile up is closed. */
    synchronized void control(Connection c, Packet p) {
        if (c.control.size() >= maxPendingAcks) {
            if (c.close()) {
                counters.ackBacklog.incrementAndGet();
                LOG.warn("MQTT client {} does not read its acknowledgements (maxPendingAcks {} waiting): closing it",
                        c.name(), maxPendingAcks);
            }
            return;
        }
        c.control.add(PacketWriter.encode(p));
        c.kick();
    }

    /**
     * What the connection's lane writes next: control frames, then queued deliveries as far as the in-flight window
     * allows. Empty means nothing is left, and the lane is no longer scheduled.
     */
    synchronized List<byte[]> takeOutbound(Connection c) {
        List<byte[]> frames = new ArrayList<>();
        while (!c.control.isEmpty() && frames.size() < BATCH) {
            frames.add(c.control.poll());
        }
        Session s = c.session;
        boolean persistentChange = false;
        while (s != null && s.connection == c && !s.queue.isEmpty() && frames.size() < BATCH) {
            Session.Delivery d = s.queue.peek();
            if (d.qos() > 0 && s.inFlight.size() >= maxInFlight) {
                break;
            }
            s.queue.poll();
            int id = 0;
            if (d.qos() > 0) {
                id = s.nextPacketId();
                s.inFlight.put(id, new Session.InFlight(d));
                persistentChange |= s.persistent;
            }
            frames.add(PacketWriter.encode(publish(d, id, false)));
        }
        if (frames.isEmpty()) {
            c.scheduled = false;
        }
        if (persistentChange) {
            changed.run();
        }
        return frames;
    }

    private static Packet.Publish publish(Session.Delivery d, int packetId, boolean dup) {
        Message m = d.message();
        return new Packet.Publish(m.topic(), packetId, m.payload(), d.qos(), d.retain(), dup);
    }

    /** Drops offline persistent sessions older than the expiry; returns how many. */
    synchronized int expire() {
        return sessions.expire();
    }

    synchronized List<BrokerClient> clients() {
        return sessions.clients();
    }

    synchronized int connected() {
        return sessions.connected();
    }

    /** Subscriptions in the router's tree (tests). */
    synchronized int subscriptionCount() {
        return router.subscriptionCount();
    }

    /** The open connections with a socket write under way. */
    synchronized List<Connection> writing() {
        List<Connection> out = new ArrayList<>();
        for (Connection c : connections) {
            if (c.isWriting()) {
                out.add(c);
            }
        }
        return out;
    }

    /** Stops taking publishes and connections; returns the open connections for the caller to close. */
    synchronized List<Connection> stop() {
        stopped = true;
        return List.copyOf(connections);
    }

    /** The persistent state: retained messages and persistent sessions. */
    synchronized StateFile.State snapshot() {
        return new StateFile.State(router.retained(), sessions.snapshot());
    }

    /** Loads a saved state into an empty broker: sessions offline, retained messages back (client ones for taps). */
    synchronized void restore(StateFile.State state) {
        for (Message m : state.retained()) {
            router.restoreRetained(m);
            if (m.fromClient()) {
                taps.retained().retained(m.publisher(), m.topic(), m.payload());
            }
        }
        sessions.restore(state.sessions());
    }
}
