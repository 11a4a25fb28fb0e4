package dev.kedge.edge.eventbus.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.kedge.core.Message;
import dev.kedge.core.MessageCodec;
import dev.kedge.core.testing.RecordingBus;

/** KubeEdge's topic ⇄ message mapping, against golden messages written from KubeEdge's eventbus sources. */
class KubeEdgeTopicsTest {
    private static final String TWIN_UPDATE = "{\"event_id\":\"e1\",\"timestamp\":1700000000000,"
            + "\"twin\":{\"temperature\":{\"actual\":{\"value\":\"21.5\"},\"metadata\":{\"type\":\"Updated\"}}}}";

    /** The wire JSON of a message, without the header fields that differ per message (id, timestamp). */
    private static JsonNode routeAndContent(Message m) throws Exception {
        JsonNode n = MessageCodec.mapper().readTree(MessageCodec.encode(m));
        com.fasterxml.jackson.databind.node.ObjectNode o = MessageCodec.mapper().createObjectNode();
        o.set("route", n.get("route"));
        o.set("content", n.get("content"));
        return o;
    }

    @Test
    void twoLevelDeviceTwinUpdateGoesToDeviceTwinWithBase64UrlTopic() throws Exception {
        String topic = "$hw/events/device/default/thermo-1/twin/update";
        Message m = KubeEdgeTopics.toBus(topic, TWIN_UPDATE);
        // base64.URLEncoding of the topic, padded, as Go encodes it
        String golden = "{\"route\":{\"source\":\"bus\",\"group\":\"user\",\"operation\":\"response\","
                + "\"resource\":\"JGh3L2V2ZW50cy9kZXZpY2UvZGVmYXVsdC90aGVybW8tMS90d2luL3VwZGF0ZQ==\"},"
                + "\"content\":" + MessageCodec.mapper().writeValueAsString(TWIN_UPDATE) + "}";
        assertEquals(MessageCodec.mapper().readTree(golden), routeAndContent(m));
        assertEquals(topic, new String(java.util.Base64.getUrlDecoder().decode(m.resource()), StandardCharsets.UTF_8));
    }

    @Test
    void oneLevelDeviceAndNodeTopicsGoToDeviceTwin() {
        for (String t : List.of("$hw/events/device/thermo-1/twin/get", "$hw/events/device/thermo-1/state/update",
                "$hw/events/node/edge-1/membership/get", "$hw/events/device")) {
            assertTrue(KubeEdgeTopics.forTwin(t), t);
            Message m = KubeEdgeTopics.toBus(t, "{}");
            assertEquals("response", m.operation());
            assertEquals("bus", m.source());
            assertEquals("user", m.group());
            assertEquals(KubeEdgeTopics.encodeTopic(t), m.resource());
        }
        // a topic that only starts with the same letters is not a device topic (KubeEdge's ^prefix(/.*)?$)
        assertFalse(KubeEdgeTopics.forTwin("$hw/events/devices/x"));
    }

    @Test
    void uploadAndUserTopicsAreUploadedWithTheTopicAsResource() throws Exception {
        for (String t : List.of("SYS/dis/upload_records", "$hw/events/upload/camera/1", "app1/user/alerts/fire")) {
            Message m = KubeEdgeTopics.toBus(t, "raw text, not JSON");
            String golden = "{\"route\":{\"source\":\"bus\",\"group\":\"user\",\"operation\":\"upload\","
                    + "\"resource\":" + MessageCodec.mapper().writeValueAsString(t) + "},"
                    + "\"content\":\"raw text, not JSON\"}";
            assertEquals(MessageCodec.mapper().readTree(golden), routeAndContent(m), t);
        }
    }

    @Test
    void defaultSubscriptionsAreKubeEdgesOfBothDeviceIdGenerations() {
        assertEquals(List.of("$hw/events/upload/#", "$hw/events/device/+/state/update", "$hw/events/device/+/twin/+",
                "$hw/events/device/+/+/state/update", "$hw/events/device/+/+/twin/+",
                "$hw/events/node/+/membership/get", "SYS/dis/upload_records", "+/user/#"),
                KubeEdgeTopics.DEFAULT_SUBSCRIPTIONS);
        Subscriptions s = new Subscriptions();
        assertTrue(s.matches("$hw/events/device/ns/dev/twin/update"));
        assertTrue(s.matches("$hw/events/device/dev/twin/update"));
        assertTrue(s.matches("$hw/events/device/ns/dev/state/update"));
        assertTrue(s.matches("myapp/user/a/b"));
        assertFalse(s.matches("$hw/events/device/ns/dev/twin/update/result")); // edge → mapper, not ours
        assertFalse(s.matches("random/topic"));
        s.add("custom/+/data");
        assertTrue(s.matches("custom/x/data"));
        assertEquals(List.of("custom/+/data"), s.stored());
    }

    @Test
    void mqttToBusRoutesCountsAndDropsBadInput() {
        RecordingBus bus = new RecordingBus();
        Counters c = new Counters();
        MqttToBus in = new MqttToBus(bus, new Subscriptions(), c, 64);
        in.arrived("internal", "$hw/events/device/ns/d/twin/update", "{\"event_id\":\"1\"}".getBytes());
        in.arrived("internal", "$hw/events/device/ns/d/twin/update", "{not json".getBytes());
        in.arrived("internal", "$hw/events/device/ns/d/twin/update", new byte[65]);
        in.arrived("internal", "not/subscribed", "{}".getBytes());
        in.arrived("internal", "SYS/dis/upload_records", "x".getBytes());
        assertEquals(2, bus.sentTo("twin").size()); // the malformed one goes on, for DeviceTwin's 400 result
        assertEquals("{not json", bus.sentTo("twin").get(1).content());
        assertEquals(1, bus.sentTo("hub").size());
        assertEquals("upload", bus.sentTo("hub").get(0).operation());
        assertEquals(5, c.received.sum());
        assertEquals(1, c.malformed.sum());
        assertEquals(1, c.oversized.sum());
        assertEquals(1, c.unknownTopics.sum());
        assertEquals(2, c.toTwin.sum());
        assertEquals(1, c.toHub.sum());
    }

    @Test
    void mqttToBusCountsAGroupWithoutModulesAsDropped() {
        RecordingBus bus = new RecordingBus().groupMembers(g -> 0);
        Counters c = new Counters();
        new MqttToBus(bus, new Subscriptions(), c, 64).arrived("external", "$hw/events/node/n/membership/get", "{}".getBytes());
        assertEquals(1, c.dropped.sum());
        assertEquals(0, c.toTwin.sum());
    }

    @Test
    void publishPayloadsAreTextBytesOrJson() throws Exception {
        assertEquals("hello", new String(BusToMqtt.payload("hello"), StandardCharsets.UTF_8));
        assertEquals(3, BusToMqtt.payload(new byte[] {1, 2, 3}).length);
        assertEquals("{\"a\":1}", new String(BusToMqtt.payload(MessageCodec.mapper().readTree("{\"a\":1}")),
                StandardCharsets.UTF_8));
        assertEquals("text", new String(BusToMqtt.payload(MessageCodec.mapper().readTree("\"text\"")),
                StandardCharsets.UTF_8));
    }

    @Test
    void jsonCheckAcceptsOneObjectOnly() {
        assertTrue(JsonCheck.isObject("{\"a\":[1,{\"b\":null}]}".getBytes()));
        assertFalse(JsonCheck.isObject("[1]".getBytes()));
        assertFalse(JsonCheck.isObject("{} {}".getBytes()));
        assertFalse(JsonCheck.isObject("{\"a\":".getBytes()));
        assertFalse(JsonCheck.isObject(new byte[] {(byte) 0xff, 0, 1}));
        assertFalse(JsonCheck.isObject(new byte[0]));
    }
}
