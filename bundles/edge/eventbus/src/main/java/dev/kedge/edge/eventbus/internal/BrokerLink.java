package dev.kedge.edge.eventbus.internal;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import javax.net.SocketFactory;

import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.kedge.core.SharedScheduler;
import dev.kedge.edge.eventbus.BrokerLinkStatus;

/**
 * One Paho client on one broker, subscribing and publishing (KubeEdge uses two clients per broker; one halves the
 * threads: Paho runs a receiver, a sender, a callback and a ping thread per connected client). Reconnects with
 * exponential backoff on the shared scheduler and subscribes everything again after each connect (clean session).
 * Publishes are asynchronous; at most {@code outboundQueueSize} wait to be written, more are dropped and counted.
 * A publish made while the broker is not connected (at start-up, before the client's first connect; during an outage)
 * is held ({@link HeldPublishes}: at most {@code outboundQueueSize} of them, each for at most 30 s) and sent in order on
 * the next connect:
 * at each start DeviceTwin's first deltas came before the connect and were lost to the mappers.
 */
final class BrokerLink implements BrokerConnection, MqttCallback {
    private static final Logger LOG = LoggerFactory.getLogger(BrokerLink.class);
    private static final long CLOSE_WAIT_MS = 1000;
    /**
     * Subscriptions are QoS 1 on every broker (KubeEdge's client subscribes with 1): a broker may drop QoS 0
     * deliveries to a subscriber that falls behind (Moquette does, once the socket's buffer is full), so a mapper
     * that publishes with QoS 1 is never lost on the way to the bus.
     */
    private static final int SUBSCRIBE_QOS = 1;

    private final String name;
    private final String url;
    private final int qos;
    private final boolean retain;
    private final EventBusSettings settings;
    private final SharedScheduler scheduler;
    private final Supplier<List<String>> topics;
    private final Inbound inbound;
    private final Counters counters;
    private final MqttAsyncClient client;
    private final MqttConnectOptions options;
    private final AtomicInteger pending = new AtomicInteger();
    private final HeldPublishes held; // guarded by itself
    private final AtomicLong connects = new AtomicLong();
    private volatile boolean subscribed;
    private volatile boolean closed;
    private volatile String lastError = "";
    private Duration backoff; // guarded by this
    private ScheduledFuture<?> retry; // guarded by this

    /**
     * @param qos    QoS of this broker's publishes (KubeEdge: mqttQOS internal, 1 external)
     * @param retain retain flag of publishes (KubeEdge: mqttRetain internal, false external)
     */
    BrokerLink(String name, String url, int qos, boolean retain, SocketFactory tls, EventBusSettings settings,
            SharedScheduler scheduler, Supplier<List<String>> topics, Inbound inbound, Counters counters)
            throws MqttException {
        this.name = name;
        this.url = url;
        this.qos = qos;
        this.retain = retain;
        this.settings = settings;
        this.scheduler = scheduler;
        this.topics = topics;
        this.inbound = inbound;
        this.counters = counters;
        this.held = new HeldPublishes(settings.outboundQueueSize(), "while the " + name + " broker is not connected",
                counters);
        this.backoff = settings.reconnectMin();
        this.client = new MqttAsyncClient(url, settings.clientId(), new MemoryPersistence());
        client.setCallback(this);
        options = new MqttConnectOptions();
        options.setCleanSession(true);
        options.setAutomaticReconnect(false); // ours: Paho's starts a timer thread per outage
        options.setConnectionTimeout(10);
        options.setKeepAliveInterval(settings.keepAliveSeconds());
        options.setMaxInflight(settings.outboundQueueSize());
        if (!settings.username().isEmpty()) {
            options.setUserName(settings.username());
            options.setPassword(settings.password());
        }
        if (tls != null) {
            options.setSocketFactory(tls);
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void start() {
        connect();
    }

    private void connect() {
        if (closed) {
            return;
        }
        try {
            client.connect(options, null, new IMqttActionListener() {
                @Override
                public void onSuccess(IMqttToken token) {
                    connected();
                }

                @Override
                public void onFailure(IMqttToken token, Throwable e) {
                    retryLater("connect failed: " + describe(e));
                }
            });
        } catch (MqttException | RuntimeException e) {
            retryLater("connect failed: " + describe(e));
        }
    }

    private void connected() {
        connects.incrementAndGet();
        sendHeld();
        List<String> filters = topics.get();
        int[] qoss = new int[filters.size()];
        java.util.Arrays.fill(qoss, SUBSCRIBE_QOS);
        try {
            client.subscribe(filters.toArray(String[]::new), qoss, null, new IMqttActionListener() {
                @Override
                public void onSuccess(IMqttToken token) {
                    int[] granted = token.getGrantedQos();
                    for (int i = 0; granted != null && i < granted.length; i++) {
                        if (granted[i] == 0x80) {
                            LOG.error("{} broker {} refused the subscription {}", name, url,
                                    i < filters.size() ? filters.get(i) : "?");
                        }
                    }
                    synchronized (BrokerLink.this) {
                        backoff = settings.reconnectMin();
                    }
                    subscribed = true;
                    lastError = "";
                    LOG.info("EventBus connected to the {} broker {} as {}, {} subscriptions", name, url,
                            settings.clientId(), filters.size());
                }

                @Override
                public void onFailure(IMqttToken token, Throwable e) {
                    lastError = "subscribe failed: " + describe(e);
                    LOG.error("EventBus could not subscribe on the {} broker {}: {}; reconnecting", name, url, lastError);
                    dropConnection();
                }
            });
        } catch (MqttException | RuntimeException e) {
            lastError = "subscribe failed: " + describe(e);
            LOG.error("EventBus could not subscribe on the {} broker {}: {}; reconnecting", name, url, lastError);
            dropConnection();
        }
    }

    /** Disconnects so that connectionLost/retry brings a fresh session with all subscriptions. */
    private void dropConnection() {
        subscribed = false;
        try {
            client.disconnect(CLOSE_WAIT_MS, null, new IMqttActionListener() {
                @Override
                public void onSuccess(IMqttToken token) {
                    retryLater(lastError);
                }

                @Override
                public void onFailure(IMqttToken token, Throwable e) {
                    retryLater(lastError);
                }
            });
        } catch (MqttException | RuntimeException e) {
            retryLater(lastError);
        }
    }

    private synchronized void retryLater(String why) {
        subscribed = false;
        if (closed) {
            return;
        }
        lastError = why;
        Duration delay = backoff;
        backoff = backoff.multipliedBy(2).compareTo(settings.reconnectMax()) > 0 ? settings.reconnectMax()
                : backoff.multipliedBy(2);
        LOG.warn("EventBus: {} broker {}: {}; retrying in {} ms", name, url, why, delay.toMillis());
        if (retry != null) {
            retry.cancel(false);
        }
        retry = scheduler.schedule("eventbus reconnect " + name, this::connect, delay);
    }

    @Override
    public void connectionLost(Throwable cause) {
        retryLater("connection lost: " + describe(cause));
    }

    @Override
    public void messageArrived(String topic, MqttMessage message) {
        inbound.arrived(name, topic, message.getPayload());
    }

    @Override
    public void deliveryComplete(IMqttDeliveryToken token) {
        // accounted by each publish's own listener
    }

    /**
     * Hands one publish to Paho, or holds it while the broker is not connected; false (counted) when the holding or
     * outbound bound is reached.
     */
    @Override
    public boolean publish(String topic, byte[] payload) {
        synchronized (held) {
            // behind the held ones while they are being sent, so that the broker sees the publishes in order
            if (!client.isConnected() || !held.isEmpty()) {
                return held.hold(topic, payload);
            }
        }
        return send(topic, payload);
    }

    /** After a connect: sends what was held, in order, until none is left (publishes meanwhile queue behind). */
    private void sendHeld() {
        int sent = 0;
        while (true) {
            HeldPublishes.Held h;
            synchronized (held) {
                h = held.next();
            }
            if (h == null) {
                break;
            }
            if (send(h.topic(), h.payload())) {
                sent++;
            }
        }
        if (sent > 0) {
            LOG.info("EventBus sent {} publish(es) held while the {} broker was not connected", sent, name);
        }
    }

    private boolean send(String topic, byte[] payload) {
        if (pending.incrementAndGet() > settings.outboundQueueSize()) {
            pending.decrementAndGet();
            counters.drop(topic, settings.outboundQueueSize() + " publishes already wait for the " + name
                    + " broker");
            return false;
        }
        try {
            client.publish(topic, payload, qos, retain, null, new IMqttActionListener() {
                @Override
                public void onSuccess(IMqttToken token) {
                    pending.decrementAndGet();
                }

                @Override
                public void onFailure(IMqttToken token, Throwable e) {
                    pending.decrementAndGet();
                    counters.errors.increment();
                    if (Counters.worthLogging(counters.errors)) {
                        LOG.error("EventBus publish on {} to the {} broker failed: {}", topic, name, describe(e));
                    }
                }
            });
            counters.published.increment();
            return true;
        } catch (MqttException | RuntimeException e) {
            pending.decrementAndGet();
            counters.drop(topic, describe(e));
            return false;
        }
    }

    /** Subscribes now if connected; otherwise the next connect subscribes it with the rest. */
    @Override
    public void subscribe(String filter) {
        if (!client.isConnected()) {
            return;
        }
        try {
            client.subscribe(filter, SUBSCRIBE_QOS);
        } catch (MqttException | RuntimeException e) {
            counters.errors.increment();
            LOG.error("EventBus could not subscribe {} on the {} broker: {}", filter, name, describe(e));
        }
    }

    @Override
    public void unsubscribe(String filter) {
        if (!client.isConnected()) {
            return;
        }
        try {
            client.unsubscribe(filter);
        } catch (MqttException | RuntimeException e) {
            counters.errors.increment();
            LOG.error("EventBus could not unsubscribe {} on the {} broker: {}", filter, name, describe(e));
        }
    }

    @Override
    public BrokerLinkStatus status() {
        return new BrokerLinkStatus(name, url, settings.clientId(), subscribed && client.isConnected(), connects.get(),
                lastError, pending.get());
    }

    @Override
    public void close() {
        synchronized (this) {
            closed = true;
            if (retry != null) {
                retry.cancel(false);
            }
        }
        try {
            if (client.isConnected()) {
                client.disconnectForcibly(CLOSE_WAIT_MS, CLOSE_WAIT_MS);
            }
        } catch (MqttException | RuntimeException e) {
            LOG.debug("disconnecting from the {} broker: {}", name, describe(e));
        }
        try {
            client.close(true);
        } catch (MqttException | RuntimeException e) {
            LOG.debug("closing the {} broker client: {}", name, describe(e));
        }
    }

    private static String describe(Throwable e) {
        if (e == null) {
            return "unknown";
        }
        Throwable cause = e.getCause();
        String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return cause == null || cause == e ? msg : msg + " (" + cause + ")";
    }
}
