package dev.kedge.edge.broker.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.eclipse.paho.client.mqttv3.MqttClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.kedge.core.testing.FreePorts;
import dev.kedge.edge.broker.internal.mqtt.Packet;

/** MQTT 3.1.1 behaviour over real loopback sockets: Paho clients and raw packets written by the test. */
class MqttProtocolTest {
    private static final byte[] HELLO = "hello".getBytes(StandardCharsets.UTF_8);

    private BrokerComponent broker;
    private int port;

    private BrokerComponent start(Map<String, Object> config) {
        port = FreePorts.belowEphemeral();
        java.util.HashMap<String, Object> all = new java.util.HashMap<>(config);
        all.put("port", port);
        broker = Configs.broker(Configs.of(BrokerConfig.class, all));
        assertTrue(broker.stats().running(), broker.stats().error());
        return broker;
    }

    @AfterEach
    void stop() {
        if (broker != null) {
            broker.deactivate();
        }
    }

    private MqttClient paho(String id) throws Exception {
        return BrokerComponentTest.client(port, id, null, null);
    }

    private static void close(MqttClient c) throws Exception {
        if (c.isConnected()) {
            c.disconnect();
        }
        c.close();
    }

    static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 10 s: " + what);
            }
            Thread.sleep(10);
        }
    }

    @Test
    void qos012RoundTripsAtTheLowerOfPublishAndGrantedQos() throws Exception {
        start(Map.of());
        BlockingQueue<String> got = new ArrayBlockingQueue<>(10);
        MqttClient sub = paho("sub");
        sub.subscribe("q/2/#", 2, (t, m) -> got.add(t + " q" + m.getQos()));
        sub.subscribe("q/1/#", 1, (t, m) -> got.add(t + " q" + m.getQos()));
        MqttClient pub = paho("pub");
        for (int qos = 0; qos <= 2; qos++) {
            pub.publish("q/2/" + qos, HELLO, qos, false);
            assertEquals("q/2/" + qos + " q" + qos, got.poll(5, TimeUnit.SECONDS));
            pub.publish("q/1/" + qos, HELLO, qos, false);
            assertEquals("q/1/" + qos + " q" + Math.min(qos, 1), got.poll(5, TimeUnit.SECONDS));
        }
        assertNull(got.poll(200, TimeUnit.MILLISECONDS), "each publish delivered once");
        close(sub);
        close(pub);
        assertEquals(6, broker.stats().publishesIn());
    }

    @Test
    void qos2BothWaysOverRawPacketsDeliversOnceDespiteAResentPublish() throws Exception {
        start(Map.of());
        try (RawClient sub = RawClient.connect(port, "raw-sub", true, 60);
                RawClient pub = RawClient.connect(port, "raw-pub", true, 60)) {
            assertEquals(List.of(2), sub.subscribe(1, "x/#", 2).returnCodes());
            pub.send(new Packet.Publish("x/y", 5, HELLO, 2, false, false));
            assertEquals(new Packet.Ack(Packet.PUBREC, 5), pub.read());
            pub.send(new Packet.Publish("x/y", 5, HELLO, 2, false, true)); // re-sent before PUBREL: not again
            assertEquals(new Packet.Ack(Packet.PUBREC, 5), pub.read());
            pub.send(new Packet.Ack(Packet.PUBREL, 5));
            assertEquals(new Packet.Ack(Packet.PUBCOMP, 5), pub.read());

            Packet.Publish in = sub.readPublish();
            assertEquals(2, in.qos());
            assertFalse(in.retain());
            assertArrayEquals(HELLO, in.payload());
            sub.send(new Packet.Ack(Packet.PUBREC, in.packetId()));
            assertEquals(new Packet.Ack(Packet.PUBREL, in.packetId()), sub.read());
            sub.send(new Packet.Ack(Packet.PUBCOMP, in.packetId()));
            sub.send(Packet.Empty.PINGREQ);
            assertEquals(Packet.Empty.PINGRESP, sub.read(), "no second delivery before the PINGRESP");
        }
        assertEquals(1, broker.stats().publishesIn());
        assertEquals(1, broker.duplicatesReceived());
    }

    @Test
    void wildcardsInvalidFiltersAndDollarTopics() throws Exception {
        start(Map.of());
        try (RawClient sub = RawClient.connect(port, "wild", true, 60)) {
            sub.send(new Packet.Subscribe(3, List.of(new Packet.Subscription("#", 0),
                    new Packet.Subscription("a/#/b", 1), new Packet.Subscription("+/b/+", 1))));
            assertEquals(new Packet.SubAck(3, List.of(0, 0x80, 1)), sub.read());
            broker.publish("$hw/events/x", HELLO, 0, false); // "#" does not match a $ topic
            broker.publish("a/b/c", HELLO, 1, false);
            Packet.Publish p = sub.readPublish();
            assertEquals("a/b/c", p.topic());
            assertEquals(1, p.qos(), "overlapping subscriptions: one delivery at the highest granted QoS");
            sub.send(new Packet.Ack(Packet.PUBACK, p.packetId()));
            sub.send(new Packet.Unsubscribe(4, List.of("+/b/+")));
            assertEquals(new Packet.Ack(Packet.UNSUBACK, 4), sub.read());
            broker.publish("a/b/c", HELLO, 1, false);
            assertEquals(0, sub.readPublish().qos(), "only '#' at QoS 0 left");
            sub.send(Packet.Empty.PINGREQ);
            assertEquals(Packet.Empty.PINGRESP, sub.read());
        }
    }

    @Test
    void retainedMessagesGoToNewSubscriptionsUntilCleared() throws Exception {
        start(Map.of());
        MqttClient pub = paho("retainer");
        pub.publish("r/a", HELLO, 1, true);
        try (RawClient sub = RawClient.connect(port, "late", true, 60)) {
            sub.subscribe(1, "r/+", 1);
            Packet.Publish p = sub.readPublish();
            assertEquals("r/a", p.topic());
            assertTrue(p.retain(), "RETAIN=1 for a message sent because of a new subscription");
            sub.send(new Packet.Ack(Packet.PUBACK, p.packetId()));
            pub.publish("r/a", HELLO, 0, true); // an established subscription gets RETAIN=0
            assertFalse(sub.readPublish().retain());
            pub.publish("r/a", new byte[0], 1, true); // clears
            assertEquals(0, sub.readPublish().payload().length);
        }
        try (RawClient sub = RawClient.connect(port, "later", true, 60)) {
            sub.subscribe(1, "r/+", 1);
            sub.send(Packet.Empty.PINGREQ);
            assertEquals(Packet.Empty.PINGRESP, sub.read(), "nothing retained any more");
        }
        close(pub);
    }

    @Test
    void willIsPublishedOnAnAbruptCloseNotAfterDisconnect() throws Exception {
        start(Map.of());
        BlockingQueue<String> wills = new ArrayBlockingQueue<>(10);
        MqttClient watcher = paho("watcher");
        watcher.subscribe("will/#", 1, (t, m) -> wills.add(t + " " + new String(m.getPayload(),
                StandardCharsets.UTF_8)));
        Packet.Will will = new Packet.Will("will/a", "gone".getBytes(StandardCharsets.UTF_8), 1, false);
        RawClient a = new RawClient(port);
        assertEquals(0, a.connect(new Packet.Connect("MQTT", 4, true, 60, "a", will, null, null)).returnCode());
        a.close(); // no DISCONNECT
        assertEquals("will/a gone", wills.poll(5, TimeUnit.SECONDS));

        RawClient b = new RawClient(port);
        assertEquals(0, b.connect(new Packet.Connect("MQTT", 4, true, 60, "b",
                new Packet.Will("will/b", HELLO, 0, false), null, null)).returnCode());
        b.send(Packet.Empty.DISCONNECT);
        assertTrue(b.closedWithin(5_000), "the broker closes after DISCONNECT");
        b.close();
        assertNull(wills.poll(500, TimeUnit.MILLISECONDS), "no will after DISCONNECT");
        close(watcher);
    }

    @Test
    void aSecondConnectionWithTheSameIdTakesOver() throws Exception {
        start(Map.of());
        try (RawClient first = RawClient.connect(port, "same", true, 60);
                RawClient second = RawClient.connect(port, "same", true, 60)) {
            assertTrue(first.closedWithin(5_000), "the old connection is closed");
            second.send(Packet.Empty.PINGREQ);
            assertEquals(Packet.Empty.PINGRESP, second.read());
            await(() -> broker.clients().size() == 1, "one client listed: " + broker.clients());
            assertEquals("same", broker.clients().get(0).clientId());
        }
        MqttClient a = paho("paho-same");
        MqttClient b = paho("paho-same");
        await(() -> !a.isConnected(), "Paho's first connection closed");
        assertTrue(b.isConnected());
        a.close(true);
        close(b);
    }

    @Test
    void persistentSessionGetsItsQueuedMessagesAndInFlightOnesAgainWithDup() throws Exception {
        start(Map.of());
        try (RawClient c = RawClient.connect(port, "keeper", false, 60)) {
            assertEquals(List.of(1), c.subscribe(1, "p/#", 1).returnCodes());
            c.send(Packet.Empty.DISCONNECT);
        }
        await(() -> broker.clients().isEmpty(), "offline");
        MqttClient pub = paho("pub");
        for (int i = 1; i <= 3; i++) {
            pub.publish("p/" + i, ("m" + i).getBytes(StandardCharsets.UTF_8), 1, false);
        }
        pub.publish("p/0", HELLO, 0, false); // QoS 0 is not kept for an offline session
        RawClient again = new RawClient(port);
        Packet.ConnAck ack = again.connect(new Packet.Connect("MQTT", 4, false, 60, "keeper", null, null, null));
        assertTrue(ack.sessionPresent());
        for (int i = 1; i <= 3; i++) {
            Packet.Publish p = again.readPublish();
            assertEquals("p/" + i, p.topic());
            assertEquals(1, p.qos());
            if (i < 3) {
                again.send(new Packet.Ack(Packet.PUBACK, p.packetId()));
            }
        }
        again.close(); // the third is in flight, unacknowledged
        await(() -> broker.clients().stream().noneMatch(c -> c.clientId().equals("keeper")), "offline again");
        try (RawClient third = new RawClient(port)) {
            assertTrue(third.connect(new Packet.Connect("MQTT", 4, false, 60, "keeper", null, null, null))
                    .sessionPresent());
            Packet.Publish p = third.readPublish();
            assertEquals("p/3", p.topic());
            assertTrue(p.dup(), "re-sent with DUP=1");
            third.send(new Packet.Ack(Packet.PUBACK, p.packetId()));
            third.send(Packet.Empty.PINGREQ);
            assertEquals(Packet.Empty.PINGRESP, third.read(), "nothing else: p/0 was QoS 0");
        }
        try (RawClient clean = new RawClient(port)) { // a clean session ends the stored one
            assertFalse(clean.connect(new Packet.Connect("MQTT", 4, true, 60, "keeper", null, null, null))
                    .sessionPresent());
        }
        close(pub);
    }

    @Test
    void authAndConnectRulesAnswerWithTheRightReturnCode() throws Exception {
        start(Map.of("username", "mapper", "password", "s3cret"));
        try (RawClient c = new RawClient(port)) {
            assertEquals(5, c.connect(new Packet.Connect("MQTT", 4, true, 60, "anon", null, null, null))
                    .returnCode());
            assertTrue(c.closedWithin(5_000));
        }
        try (RawClient c = new RawClient(port)) {
            assertEquals(4, c.connect(new Packet.Connect("MQTT", 4, true, 60, "bad", null, "mapper",
                    "nope".getBytes(StandardCharsets.UTF_8))).returnCode());
        }
        try (RawClient c = new RawClient(port)) {
            assertEquals(1, c.connect(new Packet.Connect("MQTT", 5, true, 60, "v5", null, null, null))
                    .returnCode(), "protocol level 5 refused");
        }
        try (RawClient c = new RawClient(port)) {
            assertEquals(2, c.connect(new Packet.Connect("MQTT", 4, false, 60, "", null, "mapper",
                    "s3cret".getBytes(StandardCharsets.UTF_8))).returnCode(), "empty id needs a clean session");
        }
        try (RawClient c = new RawClient(port)) {
            assertEquals(0, c.connect(new Packet.Connect("MQIsdp", 3, true, 60, "", null, "mapper",
                    "s3cret".getBytes(StandardCharsets.UTF_8))).returnCode(), "3.1, generated id");
            await(() -> broker.clients().size() == 1, "connected");
            assertTrue(broker.clients().get(0).clientId().startsWith("kedge-"), broker.clients().toString());
        }
        assertEquals(1, broker.stats().connects());
    }

    @Test
    void oversizeAndMalformedPacketsCloseOnlyTheirConnectionAndAreCounted() throws Exception {
        start(Map.of("maxMessageBytes", 1024));
        BlockingQueue<String> got = new ArrayBlockingQueue<>(10);
        MqttClient sub = paho("bystander");
        sub.subscribe("o/#", 1, (t, m) -> got.add(t));
        try (RawClient keeper = RawClient.connect(port, "keeper", false, 60)) {
            keeper.subscribe(1, "o/#", 1);
            keeper.send(Packet.Empty.DISCONNECT);
        }

        try (RawClient big = RawClient.connect(port, "big", true, 60)) {
            big.send(new Packet.Publish("o/big", 0, new byte[2000], 0, false, false));
            assertTrue(big.closedWithin(5_000), "closed for an oversize packet");
        }
        try (RawClient garbage = RawClient.connect(port, "garbage", true, 60)) {
            garbage.bytes(new byte[] {(byte) 0xf0, 0x00}); // reserved packet type 15
            assertTrue(garbage.closedWithin(5_000), "closed for a malformed packet");
        }
        try (RawClient early = new RawClient(port)) {
            early.bytes(new byte[] {0x30, 0x03, 0x00, 0x01, 'x'}); // PUBLISH before CONNECT
            assertTrue(early.closedWithin(5_000));
        }
        await(() -> broker.stats().malformedPackets() == 2, "counted: " + broker.stats());
        assertEquals(1, broker.stats().oversizePackets());

        MqttClient pub = paho("after");
        pub.publish("o/ok", HELLO, 1, false);
        assertEquals("o/ok", got.poll(5, TimeUnit.SECONDS), "other clients unaffected");
        try (RawClient keeper = new RawClient(port)) {
            assertTrue(keeper.connect(new Packet.Connect("MQTT", 4, false, 60, "keeper", null, null, null))
                    .sessionPresent(), "a persistent session survives others' bad packets");
            assertEquals("o/ok", keeper.readPublish().topic());
        }
        close(sub);
        close(pub);
    }

    @Test
    void aSilentClientIsClosedAfterOneAndAHalfKeepAlives() throws Exception {
        start(Map.of());
        try (RawClient silent = RawClient.connect(port, "silent", true, 1)) {
            long t0 = System.nanoTime();
            assertTrue(silent.closedWithin(5_000), "closed");
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(ms >= 1_000, "not before the keep-alive: " + ms + " ms");
        }
        try (RawClient pinging = RawClient.connect(port, "pinging", true, 1)) {
            for (int i = 0; i < 4; i++) { // 2.8 s, kept alive by PINGREQ every 0.7 s
                Thread.sleep(700);
                pinging.send(Packet.Empty.PINGREQ);
                assertEquals(Packet.Empty.PINGRESP, pinging.read());
            }
        }
        assertEquals(1, broker.stats().connects() - 1);
    }

    @Test
    void aSubscriberThatDoesNotReadHoldsUpNoOneAndItsOverflowIsDroppedAndCounted() throws Exception {
        start(Map.of("sessionQueueSize", 10));
        RawClient stuck = RawClient.connect(port, "stuck", true, 0);
        stuck.subscribe(1, "big/#", 0);
        BlockingQueue<byte[]> got = new ArrayBlockingQueue<>(1000);
        MqttClient fast = paho("fast");
        fast.subscribe("big/#", 0, (t, m) -> got.add(m.getPayload()));
        byte[] payload = new byte[100_000];
        int n = 300; // 30 MB: far more than the stuck client's socket buffers
        for (int i = 0; i < n; i++) {
            broker.publish("big/" + i, payload, 0, false);
            while (got.size() < i - 5) { // pace on the fast subscriber, whose queue holds 10
                Thread.sleep(1);
            }
        }
        await(() -> got.size() == n, "the reading subscriber got all " + n + ": " + got.size());
        assertTrue(broker.stats().droppedMessages() > 0, broker.stats().toString());
        stuck.close();
        close(fast);
    }

    @Test
    void anOfflinePersistentSessionExpiresAfterSessionExpirySeconds() throws Exception {
        start(Map.of("sessionExpirySeconds", 1));
        try (RawClient c = RawClient.connect(port, "brief", false, 60)) {
            c.subscribe(1, "e/#", 1);
            c.send(Packet.Empty.DISCONNECT);
        }
        await(() -> broker.clients().isEmpty(), "offline");
        assertTrue(broker.publish("e/1", HELLO, 1, false), "queued for the offline session");
        Thread.sleep(1_500);
        try (RawClient c = new RawClient(port)) {
            assertFalse(c.connect(new Packet.Connect("MQTT", 4, false, 60, "brief", null, null, null))
                    .sessionPresent(), "expired: a new session");
            c.send(Packet.Empty.PINGREQ);
            assertEquals(Packet.Empty.PINGRESP, c.read(), "its queued message went with it");
        }
    }
}
