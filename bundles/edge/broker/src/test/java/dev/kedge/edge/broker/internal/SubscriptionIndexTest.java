package dev.kedge.edge.broker.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.kedge.core.testing.FreePorts;
import dev.kedge.edge.broker.internal.mqtt.Packet;

/** The subscription tree follows the sessions: ended ones leave nothing behind, persistent ones stay until expired. */
class SubscriptionIndexTest {
    private BrokerComponent broker;
    private int port;

    @AfterEach
    void stop() {
        if (broker != null) {
            broker.deactivate();
        }
    }

    @Test
    void subscriptionsLeaveTheTreeWithTheirSession() throws Exception {
        port = FreePorts.belowEphemeral();
        broker = Configs.broker(Configs.of(BrokerConfig.class, Map.of("port", port, "sessionExpirySeconds", 1)));
        assertTrue(broker.stats().running(), broker.stats().error());
        try (RawClient clean = RawClient.connect(port, "clean", true, 60)) {
            clean.subscribe(1, "a/#", 0);
            clean.subscribe(2, "b/+", 0);
            clean.send(new Packet.Unsubscribe(3, List.of("b/+", "never/subscribed")));
            assertEquals(new Packet.Ack(Packet.UNSUBACK, 3), clean.read());
            assertEquals(1, broker.subscriptionCount());
        }
        MqttProtocolTest.await(() -> broker.subscriptionCount() == 0, "clean session gone");

        try (RawClient keeper = RawClient.connect(port, "keeper", false, 60)) {
            keeper.subscribe(1, "k/#", 1);
        }
        try (RawClient takeover = RawClient.connect(port, "keeper", false, 60)) { // resumes: same subscription
            assertEquals(1, broker.subscriptionCount());
            takeover.send(Packet.Empty.DISCONNECT);
        }
        MqttProtocolTest.await(() -> broker.clients().isEmpty(), "offline");
        assertEquals(1, broker.subscriptionCount(), "an offline persistent session keeps its subscription");
        MqttProtocolTest.await(() -> broker.subscriptionCount() == 0, "expired with its session");

        try (RawClient keeper = RawClient.connect(port, "keeper", false, 60)) {
            keeper.subscribe(1, "k/#", 1);
            try (RawClient clean = RawClient.connect(port, "keeper", true, 60)) { // a clean start ends it
                assertEquals(0, broker.subscriptionCount());
                clean.subscribe(1, "c/1", 0);
                broker.publish("k/1", new byte[] {1}, 0, false);
                broker.publish("c/1", new byte[] {2}, 0, false);
                assertEquals("c/1", clean.readPublish().topic(), "the ended session's filter no longer routes");
            }
        }
        MqttProtocolTest.await(() -> broker.subscriptionCount() == 0, "all gone");
    }
}
