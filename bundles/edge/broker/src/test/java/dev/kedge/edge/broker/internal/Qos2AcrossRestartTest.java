package dev.kedge.edge.broker.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.kedge.core.testing.FreePorts;
import dev.kedge.edge.broker.internal.mqtt.Packet;

/**
 * With persistence, the QoS 2 packet ids a persistent session received and has not released survive a restart of
 * the broker: the client re-sending the PUBLISH (DUP) after it, then PUBREL, delivers it exactly once.
 */
class Qos2AcrossRestartTest {
    private static final byte[] HELLO = "hello".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path dir;

    private BrokerComponent start(int port) {
        return Configs.running(Map.of("port", port, "persistence", true, "dataPath", dir.toString()));
    }

    private static RawClient resume(int port, String id) throws Exception {
        RawClient c = new RawClient(port);
        Packet.ConnAck ack = c.connect(new Packet.Connect("MQTT", 4, false, 60, id, null, null, null));
        assertEquals(0, ack.returnCode());
        assertTrue(ack.sessionPresent(), id + "'s session is back");
        return c;
    }

    @Test
    void aQos2PublishResentAfterARestartIsDeliveredOnce() throws Exception {
        int port = FreePorts.belowEphemeral();
        BrokerComponent before = start(port);
        try (RawClient watcher = RawClient.connect(port, "watcher", false, 60);
                RawClient device = RawClient.connect(port, "device", false, 60)) {
            watcher.subscribe(1, "x/#", 1);
            device.send(new Packet.Publish("x/y", 7, HELLO, 2, false, false));
            assertEquals(new Packet.Ack(Packet.PUBREC, 7), device.read());
            Packet.Publish p = watcher.readPublish();
            assertEquals("x/y", p.topic());
            watcher.send(new Packet.Ack(Packet.PUBACK, p.packetId()));
            watcher.send(Packet.Empty.PINGREQ);
            assertEquals(Packet.Empty.PINGRESP, watcher.read(), "the PUBACK handled before the stop");
        } finally {
            before.deactivate(); // the device never got to send PUBREL
        }

        BrokerComponent after = start(port);
        try (RawClient watcher = resume(port, "watcher"); RawClient device = resume(port, "device")) {
            device.send(new Packet.Publish("x/y", 7, HELLO, 2, false, true)); // re-sent with DUP=1
            assertEquals(new Packet.Ack(Packet.PUBREC, 7), device.read());
            device.send(new Packet.Ack(Packet.PUBREL, 7));
            assertEquals(new Packet.Ack(Packet.PUBCOMP, 7), device.read());

            // the watcher's queue is in order: a second x/y would come before the marker
            assertTrue(after.publish("x/marker", HELLO, 1, false));
            assertEquals("x/marker", watcher.readPublish().topic(), "x/y not delivered again");
            assertEquals(0, after.stats().publishesIn());
            assertEquals(1, after.duplicatesReceived());

            // released: the same packet id is a new message now
            device.send(new Packet.Publish("x/z", 7, HELLO, 2, false, false));
            assertEquals(new Packet.Ack(Packet.PUBREC, 7), device.read());
            Packet.Publish next = watcher.readPublish();
            assertEquals("x/z", next.topic());
        } finally {
            after.deactivate();
        }
    }
}
