package dev.kedge.edge.broker.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
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
import dev.kedge.edge.broker.internal.mqtt.Topics;

/**
 * The broker's state: sessions, subscriptions, retained messages and what each connection has to send. Every change
 * happens under this object's lock and is quick (no I/O): connections' readers call in, and each connection's
 * write lane takes its frames out ({@link #takeOutbound}) to write them without the lock.
 */
final class Broker {
    private static final Logger LOG = LoggerFactory.getLogger(Broker.class);
    /** Frames taken per write batch. */
    private static final int BATCH = 256;

    private final Map<String, Session> sessions = new HashMap<>();
    private final Set<Connection> connections = new HashSet<>();
    private final RetainedStore retained;
    private final BrokerCounters counters;
    private final InProcessTaps taps;
    private final int queueSize;
    private final int maxConnections;
    private final int maxInFlight;
    private final int maxPendingAcks; // replies besides deliveries (acks, CONNACK...): more means it stopped reading
    private final long expiryMs;
    private final LongSupplier clock;
    private final Runnable changed; // a persistent session or a retained message changed
    private final Object tapOrder = new Object();
    private boolean stopped;
    private boolean retainedFullLogged;
    private long refusalLoggedNanos;

    Broker(BrokerSettings s, BrokerCounters counters, InProcessTaps taps, Runnable changed) {
        this(s, counters, taps, changed, System::currentTimeMillis);
    }

    Broker(BrokerSettings s, BrokerCounters counters, InProcessTaps taps, Runnable changed, LongSupplier clock) {
        this.queueSize = s.sessionQueueSize();
        this.expiryMs = s.sessionExpirySeconds() * 1000L;
        this.maxConnections = s.maxConnections();
        this.maxInFlight = s.maxInFlight();
        this.maxPendingAcks = s.maxPendingAcks();
        this.retained = new RetainedStore(s.maxRetainedTopics());
        this.counters = counters;
        this.taps = taps;
        this.changed = changed;
        this.clock = clock;
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

    /**
     * Attaches an accepted CONNECT's connection to its session: a connection already on the client id is taken over
     * (closed, its will dropped); a clean session starts empty; a persistent one resumes, in-flight deliveries re-sent.
     */
    synchronized void connect(Connection c, String clientId, boolean cleanSession) {
        Session old = sessions.get(clientId);
        if (old != null && old.connection != null) {
            LOG.info("MQTT client {} connected again from {}: closing its previous connection", clientId, c.remote());
            old.connection.takenOver();
            old.connection = null;
            old.offlineSinceMs = clock.getAsLong();
        }
        if (old != null && old.connection == null && expired(old)) {
            old = null;
        }
        Session s;
        boolean present = false;
        if (!cleanSession && old != null && old.persistent) {
            s = old;
            present = true;
        } else {
            s = new Session(clientId, !cleanSession);
            sessions.put(clientId, s);
            if (old != null && old.persistent || s.persistent) {
                changed.run();
            }
        }
        s.connection = c;
        c.session = s;
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
        Session s = c.session;
        if (s != null && s.connection == c) {
            s.connection = null;
            s.offlineSinceMs = clock.getAsLong();
            if (s.persistent) {
                changed.run();
            } else {
                sessions.remove(s.clientId);
            }
        }
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
        if (stopped) {
            return false;
        }
        if (m.retain()) {
            if (retained.put(m)) {
                changed.run();
            } else {
                counters.dropped.incrementAndGet();
                if (!retainedFullLogged) {
                    retainedFullLogged = true;
                    LOG.warn("MQTT retained message on {} not retained: maxRetainedTopics {} retained already "
                            + "(logged once, counted as dropped)", m.topic(), retained.maxTopics());
                }
            }
        }
        int matching = 0;
        int queued = 0;
        for (Session s : sessions.values()) {
            int granted = s.grantedQos(m.topic());
            if (granted >= 0) {
                matching++;
                if (deliver(s, new Session.Delivery(m, Math.min(granted, m.qos()), false))) {
                    queued++;
                }
            }
        }
        return matching == 0 || queued > 0;
    }

    /** Queues a delivery for a session; an offline session keeps only QoS 1 and 2. */
    private boolean deliver(Session s, Session.Delivery d) {
        if (s.connection == null && d.qos() == 0) {
            return false;
        }
        if (s.queue.size() >= queueSize) {
            counters.dropped.incrementAndGet(); // a client that stopped reading is closed by the write deadline
            if (!s.dropLogged) {
                s.dropLogged = true;
                LOG.warn("MQTT session {}: queue of {} full ({}), dropping its deliveries (logged once per session)",
                        s.clientId, queueSize, s.connection == null ? "offline" : "not reading fast enough");
            }
            return false;
        }
        s.queue.add(d);
        if (s.connection != null) {
            s.connection.kick();
        } else {
            changed.run();
        }
        return true;
    }

    /** SUBSCRIBE: the return codes (granted QoS or 0x80 for an invalid filter); retained messages follow SUBACK. */
    synchronized void subscribe(Connection c, Packet.Subscribe p) {
        Session s = c.session;
        List<Integer> codes = new ArrayList<>();
        List<Session.Delivery> retainedOnes = new ArrayList<>();
        for (Packet.Subscription sub : p.subscriptions()) {
            if (!Topics.validFilter(sub.filter())) {
                codes.add(Packet.SubAck.FAILURE);
                continue;
            }
            s.subscriptions.put(sub.filter(), sub.qos());
            codes.add(sub.qos());
            for (Message m : retained.matching(sub.filter())) {
                retainedOnes.add(new Session.Delivery(m, Math.min(m.qos(), sub.qos()), true));
            }
        }
        control(c, new Packet.SubAck(p.packetId(), codes));
        retainedOnes.forEach(d -> deliver(s, d));
        if (s.persistent) {
            changed.run();
        }
    }

    synchronized void unsubscribe(Connection c, Packet.Unsubscribe p) {
        Session s = c.session;
        p.filters().forEach(s.subscriptions::remove);
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

    private boolean expired(Session s) {
        return s.persistent && clock.getAsLong() - s.offlineSinceMs >= expiryMs;
    }

    /** Drops offline persistent sessions older than the expiry; returns how many. */
    synchronized int expire() {
        int n = 0;
        for (Iterator<Session> it = sessions.values().iterator(); it.hasNext();) {
            Session s = it.next();
            if (s.connection == null && expired(s)) {
                it.remove();
                n++;
            }
        }
        if (n > 0) {
            LOG.info("MQTT broker dropped {} persistent sessions offline for more than {} s", n, expiryMs / 1000);
            changed.run();
        }
        return n;
    }

    synchronized List<BrokerClient> clients() {
        List<BrokerClient> out = new ArrayList<>();
        for (Session s : sessions.values()) {
            if (s.connection != null) {
                out.add(new BrokerClient(s.clientId, s.connection.address(), s.connection.port()));
            }
        }
        return out;
    }

    synchronized int connected() {
        int n = 0;
        for (Session s : sessions.values()) {
            n += s.connection != null ? 1 : 0;
        }
        return n;
    }

    /** The open connections whose current socket write has lasted longer than {@code nanos}. */
    synchronized List<Connection> writingLongerThan(long nanos) {
        List<Connection> out = new ArrayList<>();
        for (Connection c : connections) {
            if (c.writingForNanos() > nanos) {
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

    /** The persistent state: retained messages and persistent sessions, their unacknowledged deliveries first. */
    synchronized StateFile.State snapshot() {
        List<StateFile.SavedSession> saved = new ArrayList<>();
        long now = clock.getAsLong();
        for (Session s : sessions.values()) {
            if (!s.persistent) {
                continue;
            }
            List<Session.Delivery> pending = new ArrayList<>();
            s.inFlight.values().forEach(f -> pending.add(f.delivery));
            pending.addAll(s.queue);
            saved.add(new StateFile.SavedSession(s.clientId, s.connection == null ? s.offlineSinceMs : now,
                    Map.copyOf(s.subscriptions), pending, Set.copyOf(s.qos2Received)));
        }
        return new StateFile.State(List.copyOf(retained.all()), saved);
    }

    /** Loads a saved state into an empty broker: sessions offline, retained messages back (client ones for taps). */
    synchronized void restore(StateFile.State state) {
        for (Message m : state.retained()) {
            retained.put(m);
            if (m.fromClient()) {
                taps.retained().retained(m.publisher(), m.topic(), m.payload());
            }
        }
        for (StateFile.SavedSession saved : state.sessions()) {
            Session s = new Session(saved.clientId(), true);
            s.offlineSinceMs = saved.offlineSinceMs();
            s.subscriptions.putAll(saved.subscriptions());
            saved.pending().stream().limit(queueSize).forEach(s.queue::add);
            s.qos2Received.addAll(saved.qos2Received());
            sessions.put(s.clientId, s);
        }
    }
}
