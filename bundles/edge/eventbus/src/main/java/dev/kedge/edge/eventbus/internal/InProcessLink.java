package dev.kedge.edge.eventbus.internal;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.kedge.core.mqtt.InProcessBroker;
import dev.kedge.edge.eventbus.BrokerLinkStatus;

/**
 * EventBus inside the embedded broker, as KubeEdge's eventbus works inside its internal broker: publishes go to the
 * broker's subscribers directly, and the broker hands over every client publish ({@link MqttToBus#heard} keeps those
 * on a topic of the subscriptions). No MQTT client, no loopback connection, none of the client's four threads; the
 * broker lists it among its clients.
 * Subscribing needs no round trip: {@link Subscriptions} is consulted for every publish.
 * <p>
 * The broker is a service that comes and goes (its bundle updated, its configuration changed): while none with the
 * port of the internal URL is bound, publishes are held as {@link BrokerLink} holds them during an outage
 * ({@link HeldPublishes}) and sent in order when one binds.
 */
final class InProcessLink implements BrokerConnection {
    static final String URL_PREFIX = "in-process:";
    private static final Logger LOG = LoggerFactory.getLogger(InProcessLink.class);

    private final String name;
    private final String url;
    private final int port;
    private final String clientId;
    private final int qos;
    private final boolean retain;
    private final Subscriptions subscriptions;
    private final Inbound inbound;
    private final Counters counters;
    private final HeldPublishes held; // guarded by this
    private InProcessBroker broker; // guarded by this
    private InProcessBroker.Tap tap; // guarded by this
    private long attaches; // guarded by this
    private boolean closed; // guarded by this

    InProcessLink(String name, String url, int port, EventBusSettings s, Subscriptions subscriptions, Inbound inbound,
            Counters counters) {
        this.name = name;
        this.url = url;
        this.port = port;
        this.clientId = s.clientId();
        this.qos = s.qos();
        this.retain = s.retain();
        this.held = new HeldPublishes(s.outboundQueueSize(), "while no embedded broker is there", counters);
        this.subscriptions = subscriptions;
        this.inbound = inbound;
        this.counters = counters;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void start() {
        // the broker binds when it is there
    }

    /** Attaches to {@code b} if it is the broker of the internal URL and none is attached; sends what was held. */
    synchronized void bind(InProcessBroker b) {
        if (closed || broker != null || b.port() != port) {
            return;
        }
        broker = b;
        tap = b.tap(clientId, (client, topic, payload) -> inbound.arrived(name, topic, payload));
        attaches++;
        int replayed = replayRetained(subscriptions.all());
        int sent = 0;
        for (HeldPublishes.Held h; (h = held.next()) != null;) {
            if (send(h.topic(), h.payload())) {
                sent++;
            }
        }
        LOG.info("EventBus uses the {} broker {} in process as {}, {} subscriptions{}{}", name, url, clientId,
                subscriptions.all().size(), replayed > 0 ? ", " + replayed + " retained message(s) received" : "",
                sent > 0 ? ", " + sent + " held publish(es) sent" : "");
    }

    /**
     * What a client subscribing to {@code filters} receives first: the broker's retained messages on them (once per
     * topic). A client gets them from its SUBSCRIBE; in process they would be missed, the tap hearing only later ones.
     */
    private int replayRetained(List<String> filters) {
        Set<String> seen = new HashSet<>();
        for (String f : filters) {
            broker.retained(f, (client, topic, payload) -> {
                if (seen.add(topic)) {
                    inbound.arrived(name, topic, payload);
                }
            });
        }
        return seen.size();
    }

    synchronized void unbind(InProcessBroker b) {
        if (broker == b) {
            tap.close();
            tap = null;
            broker = null;
            LOG.info("EventBus: the {} broker {} went away; publishes are held until it is back", name, url);
        }
    }

    @Override
    public synchronized boolean publish(String topic, byte[] payload) {
        return broker != null ? send(topic, payload) : held.hold(topic, payload);
    }

    private boolean send(String topic, byte[] payload) {
        if (broker.publish(topic, payload, qos, retain)) {
            counters.published.increment();
            return true;
        }
        counters.drop(topic, "the broker did not take it (stopped, or its subscribers' queues full)");
        return false;
    }

    /** Subscriptions already has it: only its retained messages are due, as a client's SUBSCRIBE gets them. */
    @Override
    public synchronized void subscribe(String filter) {
        if (broker != null) {
            replayRetained(List.of(filter));
        }
    }

    @Override
    public void unsubscribe(String filter) {
        // Subscriptions no longer has it
    }

    @Override
    public synchronized BrokerLinkStatus status() {
        boolean up = broker != null && broker.port() > 0;
        String error = up ? "" : broker == null ? "no embedded broker on port " + port
                + " (feature kedge-edge-broker; internalInProcess=false connects to another broker as a client)"
                : "the embedded broker is not running";
        return new BrokerLinkStatus(name, URL_PREFIX + url, clientId, up, attaches, error, held.size());
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (tap != null) {
            tap.close();
            tap = null;
        }
        broker = null;
    }
}
