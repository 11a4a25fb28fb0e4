package dev.kedge.edge.broker.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;

import dev.kedge.core.testing.FreePorts;


/**
 * A client reconnecting after an edge restart re-sends its in-flight QoS 1 PUBLISH with DUP=1: Moquette 0.17 then
 * killed the session loop serving that client id, and every client on that loop with it (the client ids below share
 * one {@code hashCode}, so Moquette routed all three to the same loop). The broker must deliver it, acknowledge it
 * and go on serving everyone.
 */
class DupPublishTest {
    private static final String TOPIC = "$hw/events/device/dev1/twin/update";

    @Test
    void aDuplicateQos1PublishLeavesTheBrokerServingOtherClients() throws Exception {
        assertEquals("AaAa".hashCode(), "AaBB".hashCode());
        assertEquals("AaAa".hashCode(), "BBAa".hashCode());
        int port = FreePorts.belowEphemeral();
        BrokerComponent broker = Configs.broker(Configs.of(BrokerConfig.class, Map.of("port", port)));
        MqttClient sub = null;
        MqttClient pub = null;
        try {
            assertTrue(broker.stats().running(), broker.stats().error());
            BlockingQueue<String> got = new ArrayBlockingQueue<>(10);
            sub = connect(port, "AaAa");
            sub.subscribe(TOPIC, 1, (t, m) -> got.add(new String(m.getPayload(), StandardCharsets.UTF_8)));

            try (Socket raw = new Socket(InetAddress.getLoopbackAddress(), port)) {
                raw.setSoTimeout(5_000);
                OutputStream out = raw.getOutputStream();
                InputStream in = raw.getInputStream();
                out.write(connect("AaBB"));
                out.flush();
                assertArrayEquals(new byte[] {0x20, 0x02, 0x00, 0x00}, in.readNBytes(4), "CONNACK accepted");
                out.write(dupQos1Publish(TOPIC, 7, "resent"));
                out.flush();
                // the duplicate may be delivered (QoS 1 allows duplicates) and must be acknowledged
                assertArrayEquals(new byte[] {0x40, 0x02, 0x00, 0x07}, in.readNBytes(4), "PUBACK for packet id 7");
            }
            assertEquals("resent", got.poll(5, TimeUnit.SECONDS));

            pub = connect(port, "BBAa");
            pub.publish(TOPIC, "after".getBytes(StandardCharsets.UTF_8), 1, false); // blocks until PUBACK
            assertEquals("after", got.poll(5, TimeUnit.SECONDS));
            assertEquals(1, broker.duplicatesReceived());
        } finally {
            close(sub);
            close(pub);
            broker.deactivate();
        }
    }

    private static MqttClient connect(int port, String id) throws Exception {
        MqttClient c = new MqttClient("tcp://127.0.0.1:" + port, id, new MemoryPersistence());
        MqttConnectOptions o = new MqttConnectOptions();
        o.setConnectionTimeout(5);
        c.setTimeToWait(5_000);
        c.connect(o);
        return c;
    }

    private static void close(MqttClient c) throws Exception {
        if (c != null) {
            if (c.isConnected()) {
                c.disconnectForcibly(1_000);
            }
            c.close();
        }
    }

    /** MQTT 3.1.1 CONNECT, clean session, keep-alive 60 s. */
    private static byte[] connect(String clientId) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        writeString(body, "MQTT");
        body.write(4); // protocol level 3.1.1
        body.write(0x02); // clean session
        body.write(0);
        body.write(60);
        writeString(body, clientId);
        return packet(0x10, body.toByteArray());
    }

    /** PUBLISH with DUP=1, QoS 1. */
    private static byte[] dupQos1Publish(String topic, int packetId, String payload) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        writeString(body, topic);
        body.write(packetId >> 8);
        body.write(packetId & 0xff);
        body.writeBytes(payload.getBytes(StandardCharsets.UTF_8));
        return packet(0x30 | 0x08 | 0x02, body.toByteArray());
    }

    private static byte[] packet(int firstByte, byte[] body) {
        assertTrue(body.length < 128, "single-byte remaining length");
        ByteArrayOutputStream p = new ByteArrayOutputStream();
        p.write(firstByte);
        p.write(body.length);
        p.writeBytes(body);
        return p.toByteArray();
    }

    private static void writeString(ByteArrayOutputStream out, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.write(b.length >> 8);
        out.write(b.length & 0xff);
        out.writeBytes(b);
    }
}
