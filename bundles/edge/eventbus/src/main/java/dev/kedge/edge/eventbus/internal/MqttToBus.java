package dev.kedge.edge.eventbus.internal;

import java.nio.charset.StandardCharsets;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.kedge.core.BusException;
import dev.kedge.core.Message;
import dev.kedge.core.MessageBus;
import dev.kedge.core.ModuleNames;

/**
 * MQTT → bus. Runs on the Paho callback thread of the broker the message came from (in process: the embedded
 * broker's notification thread); a full mailbox holds that thread for the bus's bounded send time, which slows the
 * broker down instead of losing messages silently.
 */
final class MqttToBus {
    private static final Logger LOG = LoggerFactory.getLogger(MqttToBus.class);

    private final MessageBus bus;
    private final Subscriptions subscriptions;
    private final Counters counters;
    private final int maxPayloadBytes;

    MqttToBus(MessageBus bus, Subscriptions subscriptions, Counters counters, int maxPayloadBytes) {
        this.bus = bus;
        this.subscriptions = subscriptions;
        this.counters = counters;
        this.maxPayloadBytes = maxPayloadBytes;
    }

    /** A broker's delivery to the subscriptions. Never throws: Paho drops the connection when its callback does. */
    void arrived(String broker, String topic, byte[] payload) {
        counters.received.increment();
        if (!subscriptions.matches(topic)) {
            counters.unknownTopics.increment();
            if (Counters.worthLogging(counters.unknownTopics)) {
                LOG.error("MQTT message on unknown topic {} from the {} broker dropped ({} so far)", abbreviate(topic),
                        broker, counters.unknownTopics.sum());
            }
            return;
        }
        pass(broker, topic, payload);
    }

    /**
     * A publish an in-process broker heard from one of its clients: only the subscriptions' topics are EventBus's,
     * the others are not counted. Never throws.
     */
    void heard(String broker, String topic, byte[] payload) {
        if (subscriptions.matches(topic)) {
            counters.received.increment();
            pass(broker, topic, payload);
        }
    }

    private void pass(String broker, String topic, byte[] payload) {
        try {
            forward(broker, topic, payload);
        } catch (RuntimeException e) {
            counters.errors.increment();
            if (Counters.worthLogging(counters.errors)) {
                LOG.error("MQTT message on {} from the {} broker not passed on", topic, broker, e);
            }
        }
    }

    private void forward(String broker, String topic, byte[] payload) {
        if (payload.length > maxPayloadBytes) {
            counters.oversized.increment();
            if (Counters.worthLogging(counters.oversized)) {
                LOG.error("MQTT payload of {} bytes on {} exceeds maxPayloadBytes {}; dropped ({} so far)",
                        payload.length, topic, maxPayloadBytes, counters.oversized.sum());
            }
            return;
        }
        boolean toTwin = KubeEdgeTopics.forTwin(topic);
        if (toTwin && !JsonCheck.isObject(payload)) {
            // KubeEdge's DeviceTwin answers a bad request on the result topic: it still gets the message
            counters.malformed.increment();
            if (Counters.worthLogging(counters.malformed)) {
                LOG.error("MQTT payload on {} is not a JSON object ({} so far); passed to DeviceTwin to answer",
                        topic, counters.malformed.sum());
            }
        }
        Message m = KubeEdgeTopics.toBus(topic, new String(payload, StandardCharsets.UTF_8));
        String group = toTwin ? ModuleNames.GROUP_TWIN : ModuleNames.GROUP_HUB;
        int receivers;
        try {
            receivers = bus.sendToGroup(group, m);
        } catch (BusException e) {
            counters.errors.increment();
            if (Counters.worthLogging(counters.errors)) {
                LOG.error("MQTT message on {} not sent to group {}: {}", topic, group, e.getMessage());
            }
            return;
        }
        if (receivers == 0) {
            counters.dropped.increment();
            if (Counters.worthLogging(counters.dropped)) {
                LOG.error("MQTT message on {} dropped: no module in group {} ({} dropped so far)", topic, group,
                        counters.dropped.sum());
            }
            return;
        }
        (toTwin ? counters.toTwin : counters.toHub).increment();
    }

    private static String abbreviate(String s) {
        return s.length() <= 200 ? s : s.substring(0, 200) + "…";
    }
}
