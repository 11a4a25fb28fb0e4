package dev.kedge.edge.broker.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.kedge.edge.broker.BrokerClient;

/**
 * The sessions by client id: a connection attached to its session (take-over, clean start or resume), detached,
 * offline persistent sessions expired, and what the state file keeps of them. Every session that ends or comes back
 * from the file is told to the {@link Router}, whose subscription tree must mirror the sessions. Guarded by the
 * {@link Broker}'s lock.
 */
final class Sessions {
    private static final Logger LOG = LoggerFactory.getLogger(Sessions.class);

    private final Map<String, Session> byId = new HashMap<>();
    private final int queueSize;
    private final long expiryMs;
    private final LongSupplier clock;
    private final Runnable changed; // a persistent session changed
    private final Router router;

    Sessions(BrokerSettings s, Router router, LongSupplier clock, Runnable changed) {
        this.router = router;
        this.queueSize = s.sessionQueueSize();
        this.expiryMs = s.sessionExpirySeconds() * 1000L;
        this.clock = clock;
        this.changed = changed;
    }

    /**
     * Attaches an accepted CONNECT's connection to its session: a connection already on the client id is taken over
     * (closed, its will dropped); a clean session starts empty; a persistent one resumes. True if one resumed (the
     * CONNACK's session present).
     */
    boolean attach(Connection c, String clientId, boolean cleanSession) {
        Session old = byId.get(clientId);
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
            Session replaced = byId.put(clientId, s);
            if (replaced != null) {
                router.gone(replaced);
            }
            if (old != null && old.persistent || s.persistent) {
                changed.run();
            }
        }
        s.connection = c;
        c.session = s;
        return present;
    }

    /** The connection ended: its session goes offline (persistent) or away (clean). */
    void detach(Connection c) {
        Session s = c.session;
        if (s != null && s.connection == c) {
            s.connection = null;
            s.offlineSinceMs = clock.getAsLong();
            if (s.persistent) {
                changed.run();
            } else {
                byId.remove(s.clientId);
                router.gone(s);
            }
        }
    }

    private boolean expired(Session s) {
        return s.persistent && clock.getAsLong() - s.offlineSinceMs >= expiryMs;
    }

    /** Drops offline persistent sessions older than the expiry; returns how many. */
    int expire() {
        int n = 0;
        for (Iterator<Session> it = byId.values().iterator(); it.hasNext();) {
            Session s = it.next();
            if (s.connection == null && expired(s)) {
                it.remove();
                router.gone(s);
                n++;
            }
        }
        if (n > 0) {
            LOG.info("MQTT broker dropped {} persistent sessions offline for more than {} s", n, expiryMs / 1000);
            changed.run();
        }
        return n;
    }

    List<BrokerClient> clients() {
        List<BrokerClient> out = new ArrayList<>();
        for (Session s : byId.values()) {
            if (s.connection != null) {
                out.add(new BrokerClient(s.clientId, s.connection.address(), s.connection.port()));
            }
        }
        return out;
    }

    int connected() {
        int n = 0;
        for (Session s : byId.values()) {
            n += s.connection != null ? 1 : 0;
        }
        return n;
    }

    /** The persistent sessions as saved: their unacknowledged deliveries first, then their queue. */
    List<StateFile.SavedSession> snapshot() {
        List<StateFile.SavedSession> saved = new ArrayList<>();
        long now = clock.getAsLong();
        for (Session s : byId.values()) {
            if (!s.persistent) {
                continue;
            }
            List<Session.Delivery> pending = new ArrayList<>();
            s.inFlight.values().forEach(f -> pending.add(f.delivery));
            pending.addAll(s.queue);
            saved.add(new StateFile.SavedSession(s.clientId, s.connection == null ? s.offlineSinceMs : now,
                    Map.copyOf(s.subscriptions), pending, Set.copyOf(s.qos2Received)));
        }
        return saved;
    }

    /** Saved sessions back, offline. */
    void restore(List<StateFile.SavedSession> saved) {
        for (StateFile.SavedSession ss : saved) {
            Session s = new Session(ss.clientId(), true);
            s.offlineSinceMs = ss.offlineSinceMs();
            s.subscriptions.putAll(ss.subscriptions());
            ss.pending().stream().limit(queueSize).forEach(s.queue::add);
            s.qos2Received.addAll(ss.qos2Received());
            byId.put(s.clientId, s);
            router.restored(s);
        }
    }
}
