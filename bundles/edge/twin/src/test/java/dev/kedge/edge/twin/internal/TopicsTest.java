package dev.kedge.edge.twin.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** KubeEdge's device topics with v1.15 ({@code <name>}) and v1.17+ ({@code <namespace>/<name>}) device ids. */
class TopicsTest {

    @Test
    void bothDeviceIdFormsAndEverySuffix() {
        assertEquals(new Topics.Inbound(Topics.TWIN_UPDATE, "sensor"), Topics.parse("$hw/events/device/sensor/twin/update"));
        assertEquals(new Topics.Inbound(Topics.TWIN_UPDATE, "default/sensor"),
                Topics.parse("$hw/events/device/default/sensor/twin/update"));
        assertEquals(new Topics.Inbound(Topics.TWIN_GET, "ns/d"), Topics.parse("$hw/events/device/ns/d/twin/get"));
        assertEquals(new Topics.Inbound(Topics.STATE_UPDATE, "d"), Topics.parse("$hw/events/device/d/state/update"));
        assertEquals(new Topics.Inbound(Topics.TWIN_CLOUD_UPDATED, "d"),
                Topics.parse("$hw/events/device/d/twin/cloud_updated"));
        assertEquals(new Topics.Inbound(Topics.MEMBERSHIP_GET, "edge-1"),
                Topics.parse("$hw/events/node/edge-1/membership/get"));
    }

    @Test
    void refusesWhatIsNotADeviceTopic() {
        assertNull(Topics.parse("$hw/events/device/a/b/c/twin/update"), "three-level id");
        assertNull(Topics.parse("$hw/events/device//twin/update"), "empty id");
        assertNull(Topics.parse("$hw/events/device/+/twin/update"), "wildcard");
        assertNull(Topics.parse("$hw/events/device/d/twin/update/result"), "our own result topic");
        assertNull(Topics.parse("$hw/events/upload/x"));
        assertNull(Topics.parse("$hw/events/node/a/b/membership/get"));
    }

    @Test
    void eventBusNamesTopicsInBase64Url() {
        String topic = "$hw/events/device/default/sensor/twin/update";
        assertEquals("JGh3L2V2ZW50cy9kZXZpY2UvZGVmYXVsdC9zZW5zb3IvdHdpbi91cGRhdGU=", Topics.encode(topic));
        assertEquals(topic, Topics.decode(Topics.encode(topic)));
        assertEquals(topic, Topics.decode(topic), "tolerated: the topic as is");
        assertNull(Topics.decode("%%%"));
        assertNull(Topics.decode(Topics.encode("other/topic")));
    }
}
