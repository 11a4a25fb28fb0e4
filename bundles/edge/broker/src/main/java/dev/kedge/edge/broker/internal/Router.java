package dev.kedge.edge.broker.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.kedge.edge.broker.internal.mqtt.Packet;
import dev.kedge.edge.broker.internal.mqtt.TopicTree;
import dev.kedge.edge.broker.internal.mqtt.Topics;

/**
 * Delivery: which sessions a message goes to (their subscriptions matched in a {@link TopicTree}, at the lower of the
 * granted and the published QoS), queueing it for each (bounded by sessionQueueSize), and the retained messages. The
 * tree mirrors every session's subscriptions: {@link Sessions} tells it of sessions restored and gone. No I/O: a
 * queued delivery only kicks its connection's lane. Guarded by the {@link Broker}'s lock.
 */
final class Router {
    private static final Logger LOG = LoggerFactory.getLogger(Router.class);

    private final RetainedStore retained;
    private final TopicTree<Session> tree = new TopicTree<>();
    private final BrokerCounters counters;
    private final int queueSize;
    private final Runnable changed; // a persistent session or a retained message changed
    private boolean retainedFullLogged;

    Router(BrokerSettings s, BrokerCounters counters, Runnable changed) {
        this.retained = new RetainedStore(s.maxRetainedTopics());
        this.queueSize = s.sessionQueueSize();
        this.counters = counters;
        this.changed = changed;
    }

    /** Retains (if asked) and fans out; false if some sessions subscribe and none could queue it. */
    boolean route(Message m) {
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
        Map<Session, Integer> granted = new HashMap<>();
        tree.match(m.topic(), granted);
        int queued = 0;
        for (Map.Entry<Session, Integer> e : granted.entrySet()) {
            if (deliver(e.getKey(), new Session.Delivery(m, Math.min(e.getValue(), m.qos()), false))) {
                queued++;
            }
        }
        return granted.isEmpty() || queued > 0;
    }

    /** Queues a delivery for a session; an offline session keeps only QoS 1 and 2. */
    boolean deliver(Session s, Session.Delivery d) {
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

    /**
     * A SUBSCRIBE's filters into the session: the return codes (granted QoS or 0x80 for an invalid filter); the
     * retained messages the valid ones match go to {@code retainedOut}, to deliver after the SUBACK.
     */
    List<Integer> subscribe(Session s, List<Packet.Subscription> subscriptions,
            List<Session.Delivery> retainedOut) {
        List<Integer> codes = new ArrayList<>();
        for (Packet.Subscription sub : subscriptions) {
            if (!Topics.validFilter(sub.filter())) {
                codes.add(Packet.SubAck.FAILURE);
                continue;
            }
            s.subscriptions.put(sub.filter(), sub.qos());
            tree.put(sub.filter(), s, sub.qos());
            codes.add(sub.qos());
            for (Message m : retained.matching(sub.filter())) {
                retainedOut.add(new Session.Delivery(m, Math.min(m.qos(), sub.qos()), true));
            }
        }
        return codes;
    }

    void unsubscribe(Session s, List<String> filters) {
        for (String f : filters) {
            if (s.subscriptions.remove(f) != null) {
                tree.remove(f, s);
            }
        }
    }

    /** A session restored from the state file: its subscriptions into the tree. */
    void restored(Session s) {
        s.subscriptions.forEach((filter, qos) -> tree.put(filter, s, qos));
    }

    /** A session ended (clean session closed, replaced or expired): its subscriptions out of the tree. */
    void gone(Session s) {
        s.subscriptions.keySet().forEach(filter -> tree.remove(filter, s));
    }

    /** Subscriptions in the tree (tests: sessions gone leave none behind). */
    int subscriptionCount() {
        return tree.size();
    }

    /** The retained messages, for the state file. */
    List<Message> retained() {
        return List.copyOf(retained.all());
    }

    /** A retained message from the state file. */
    void restoreRetained(Message m) {
        retained.put(m);
    }
}
