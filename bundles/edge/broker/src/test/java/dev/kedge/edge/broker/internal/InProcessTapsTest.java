package dev.kedge.edge.broker.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import org.eclipse.paho.client.mqttv3.MqttClient;
import org.junit.jupiter.api.Test;

import dev.kedge.core.mqtt.InProcessBroker;
import dev.kedge.core.testing.FreePorts;
import dev.kedge.edge.broker.BrokerClient;

/** The broker used in process (as EventBus uses it), with Paho clients as the mappers on the other side. */
class InProcessTapsTest {

    private static MqttClient client(int port, String id) throws Exception {
        return BrokerComponentTest.client(port, id, null, null);
    }

    private static void disconnect(MqttClient c) throws Exception {
        if (c != null) {
            c.disconnect();
            c.close();
        }
    }

    @Test
    void publishesReachSubscribersAndTapsHearClientsUntilClosed() throws Exception {
        int port = FreePorts.belowEphemeral();
        BrokerComponent broker = Configs.broker(Configs.of(BrokerConfig.class, Map.of("port", port)));
        MqttClient mapper = null;
        try {
            assertEquals(port, broker.port());
            BlockingQueue<String> heard = new ArrayBlockingQueue<>(10);
            InProcessBroker.Tap tap = broker.tap("hub-client-sub-1", (client, topic, payload) ->
                    heard.add(client + " " + topic + " " + new String(payload, StandardCharsets.UTF_8)));
            assertTrue(broker.clients().contains(new BrokerClient("hub-client-sub-1", BrokerClient.IN_PROCESS, 0)),
                    broker.clients().toString());

            // in process -> a client's subscription, at the QoS asked
            mapper = client(port, "mapper");
            BlockingQueue<String> got = new ArrayBlockingQueue<>(10);
            mapper.subscribe("$hw/events/device/+/twin/update/delta", 1,
                    (t, m) -> got.add(t + " " + m.getQos() + " " + new String(m.getPayload(), StandardCharsets.UTF_8)));
            assertTrue(broker.publish("$hw/events/device/d1/twin/update/delta", "{\"delta\":1}".getBytes(), 1, false));
            assertEquals("$hw/events/device/d1/twin/update/delta 1 {\"delta\":1}", got.poll(5, TimeUnit.SECONDS));
            assertNull(heard.poll(200, TimeUnit.MILLISECONDS), "an in-process publish is not echoed to the taps");

            // a client's publish -> the tap, with the client's id
            mapper.publish("$hw/events/device/d1/twin/update", "{\"twin\":2}".getBytes(), 1, false);
            assertEquals("mapper $hw/events/device/d1/twin/update {\"twin\":2}", heard.poll(5, TimeUnit.SECONDS));

            tap.close();
            tap.close(); // harmless
            assertFalse(broker.clients().stream().anyMatch(c -> c.address().equals(BrokerClient.IN_PROCESS)));
            mapper.publish("$hw/events/device/d1/twin/update", "{\"twin\":3}".getBytes(), 1, false);
            assertNull(heard.poll(500, TimeUnit.MILLISECONDS), "a closed tap hears nothing");
        } finally {
            disconnect(mapper);
            broker.deactivate();
        }
        assertFalse(broker.publish("a/b", new byte[0], 0, false), "a stopped broker takes no publish");
    }

    @Test
    void aFailingTapDoesNotStopTheOthers() throws Exception {
        int port = FreePorts.belowEphemeral();
        BrokerComponent broker = Configs.broker(Configs.of(BrokerConfig.class, Map.of("port", port)));
        MqttClient mapper = null;
        try {
            BlockingQueue<String> heard = new ArrayBlockingQueue<>(10);
            broker.tap("bad", (c, t, p) -> {
                throw new IllegalStateException("listener bug");
            });
            broker.tap("good", (c, t, p) -> heard.add(t));
            mapper = client(port, "mapper");
            mapper.publish("x/y", "1".getBytes(), 1, false);
            assertEquals("x/y", heard.poll(5, TimeUnit.SECONDS));
        } finally {
            disconnect(mapper);
            broker.deactivate();
        }
    }

    @Test
    void retainedMessagesPublishedBeforeATapAttachesAreHandedOverByFilter() throws Exception {
        int port = FreePorts.belowEphemeral();
        BrokerComponent broker = Configs.broker(Configs.of(BrokerConfig.class, Map.of("port", port)));
        MqttClient mapper = null;
        try {
            mapper = client(port, "mapper");
            mapper.publish("$hw/events/device/d1/twin/update", "{\"v\":1}".getBytes(), 1, true);
            mapper.publish("$hw/events/device/d1/twin/update", "{\"v\":2}".getBytes(), 1, true); // replaces v1
            mapper.publish("$hw/events/device/d2/twin/update", "{\"v\":3}".getBytes(), 1, true);
            mapper.publish("$hw/events/device/d3/twin/update", "{\"v\":4}".getBytes(), 1, true);
            mapper.publish("$hw/events/device/d3/twin/update", new byte[0], 1, true); // clears d3
            mapper.publish("$hw/events/device/d4/twin/update", "{\"v\":5}".getBytes(), 1, false); // not retained
            mapper.publish("other/topic", "x".getBytes(), 1, true);
            // the mapper's publishes have reached the broker once a retained one comes back to a fresh subscriber
            MqttClient probe = client(port, "probe");
            BlockingQueue<String> seen = new ArrayBlockingQueue<>(10);
            probe.subscribe("other/topic", 1, (t, m) -> seen.add(t));
            assertEquals("other/topic", seen.poll(5, TimeUnit.SECONDS));
            disconnect(probe);

            List<String> got = new ArrayList<>();
            int n = broker.retained("$hw/events/device/+/twin/update", (client, topic, payload) ->
                    got.add(client + " " + topic + " " + new String(payload, StandardCharsets.UTF_8)));

            assertEquals(2, n);
            assertEquals(Set.of("mapper $hw/events/device/d1/twin/update {\"v\":2}",
                    "mapper $hw/events/device/d2/twin/update {\"v\":3}"), Set.copyOf(got));
            assertEquals(1, broker.retained("other/#", (c, t, p) -> { }));
            assertEquals(0, broker.retained("nothing/+", (c, t, p) -> { }));
            assertEquals(3, broker.stats().retainedKept(), "d1, d2 and other/topic: " + broker.stats());
            assertEquals(0, broker.stats().retainedNotKept());
        } finally {
            disconnect(mapper);
            broker.deactivate();
        }
    }
}
