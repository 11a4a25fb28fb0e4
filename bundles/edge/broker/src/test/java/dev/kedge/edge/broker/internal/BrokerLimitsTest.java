package dev.kedge.edge.broker.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.kedge.core.testing.FreePorts;
import dev.kedge.edge.broker.internal.mqtt.Packet;

/** The configurable limits, each reached over real sockets: what is refused, and that it is counted. */
class BrokerLimitsTest {
    private static final byte[] HELLO = {'h', 'i'};

    private BrokerComponent broker;
    private int port;

    private void start(Map<String, Object> config) {
        port = FreePorts.belowEphemeral();
        Map<String, Object> all = new HashMap<>(config);
        all.put("port", port);
        broker = Configs.running(all);
    }

    @AfterEach
    void stop() {
        if (broker != null) {
            broker.deactivate();
        }
    }

    @Test
    void connectionsBeyondMaxConnectionsAreRefusedAndCounted() throws Exception {
        start(Map.of("maxConnections", 2));
        try (RawClient a = RawClient.connect(port, "a", true, 60);
                RawClient b = RawClient.connect(port, "b", true, 60)) {
            try (RawClient c = new RawClient(port)) {
                assertTrue(c.closedWithin(5_000), "the third is closed on accept");
            }
            assertEquals(1, broker.stats().connectionsRefused());
            a.close();
            MqttProtocolTest.await(() -> broker.clients().size() == 1, "a gone");
            try (RawClient d = RawClient.connect(port, "d", true, 60)) {
                d.send(Packet.Empty.PINGREQ);
                assertEquals(Packet.Empty.PINGRESP, d.read(), "room again once one left");
            }
        }
        assertEquals(1, broker.stats().connectionsRefused());
    }

    @Test
    void atMostMaxInFlightDeliveriesAreUnacknowledged() throws Exception {
        start(Map.of("maxInFlight", 2));
        try (RawClient sub = RawClient.connect(port, "sub", true, 60)) {
            sub.subscribe(1, "f/#", 1);
            for (int i = 1; i <= 4; i++) {
                assertTrue(broker.publish("f/" + i, HELLO, 1, false));
            }
            Packet.Publish first = sub.readPublish();
            assertEquals("f/1", first.topic());
            assertEquals("f/2", sub.readPublish().topic());
            sub.send(Packet.Empty.PINGREQ);
            assertEquals(Packet.Empty.PINGRESP, sub.read(), "no third before an acknowledgement");
            sub.send(new Packet.Ack(Packet.PUBACK, first.packetId()));
            Packet.Publish third = sub.readPublish();
            assertEquals("f/3", third.topic());
            sub.send(Packet.Empty.PINGREQ);
            assertEquals(Packet.Empty.PINGRESP, sub.read(), "one acknowledged, one more sent");
        }
    }

    @Test
    void retainedTopicsBeyondMaxRetainedTopicsAreDeliveredNotRetainedAndCounted() throws Exception {
        start(Map.of("maxRetainedTopics", 2));
        try (RawClient live = RawClient.connect(port, "live", true, 60)) {
            live.subscribe(1, "r/#", 0);
            for (int i = 1; i <= 3; i++) {
                broker.publish("r/" + i, HELLO, 0, true);
                assertEquals("r/" + i, live.readPublish().topic(), "delivered either way");
            }
            broker.publish("r/1", new byte[] {2}, 0, true); // a kept topic can still be replaced
            assertEquals("r/1", live.readPublish().topic());
        }
        assertEquals(1, broker.stats().droppedMessages());
        try (RawClient late = RawClient.connect(port, "late", true, 60)) {
            late.subscribe(1, "r/#", 0);
            List<String> got = new ArrayList<>();
            got.add(late.readPublish().topic());
            got.add(late.readPublish().topic());
            late.send(Packet.Empty.PINGREQ);
            assertEquals(Packet.Empty.PINGRESP, late.read(), "r/3 was not retained");
            assertEquals(List.of("r/1", "r/2"), got.stream().sorted().toList());
        }
    }

    @Test
    void aClientLettingMoreThanMaxPendingAcksPileUpIsClosedAndCounted() throws Exception {
        start(Map.of("maxPendingAcks", 8, "sessionQueueSize", 4));
        try (RawClient stuck = RawClient.connect(port, "stuck", true, 0)) {
            stuck.subscribe(1, "big/#", 0);
            Stalls.untilWriterBlocked(broker, "big/");
            for (int i = 0; i < 20; i++) { // each answered by a PINGRESP the blocked writer cannot send
                stuck.send(Packet.Empty.PINGREQ);
            }
            MqttProtocolTest.await(() -> broker.stats().ackBacklogsClosed() == 1, "closed: " + broker.stats());
            MqttProtocolTest.await(() -> broker.clients().isEmpty(), "gone: " + broker.clients());
        }
        try (RawClient next = RawClient.connect(port, "next", true, 60)) {
            next.send(Packet.Empty.PINGREQ);
            assertEquals(Packet.Empty.PINGRESP, next.read(), "others still served");
        }
        assertEquals(1, broker.stats().ackBacklogsClosed());
        assertFalse(broker.stats().droppedMessages() == 0, "the blocked writer made its queue overflow");
    }
}
