package dev.kedge.cloud.device.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.kedge.core.AckPolicy;
import dev.kedge.core.Message;
import dev.kedge.core.MessageCodec;
import dev.kedge.core.Operations;
import dev.kedge.core.Resource;

/** Downstream messages against KubeEdge's shapes (devicecontroller/controller/downstream.go, types/device.go). */
class FramesTest {

    static DeviceSpec device(String ns, String name, String node, String rv, String desiredJson) throws Exception {
        String json = """
                {"apiVersion":"devices.kubeedge.io/v1beta1","kind":"Device",
                 "metadata":{"name":"%s","namespace":"%s","uid":"u-%s","resourceVersion":"%s","labels":{"description":"counter"}},
                 "spec":{"deviceModelRef":{"name":"counter-model"},"nodeName":"%s",
                   "properties":[{"name":"status","desired":%s},{"name":"temperature"}]}}
                """.formatted(name, ns, name, rv, node, desiredJson);
        return DeviceSpec.of(Frames.JSON.readTree(json));
    }

    /** The content with the per-message parts (event_id, timestamps) fixed, for golden comparison. */
    static JsonNode golden(Message m) throws Exception {
        ObjectNode c = (ObjectNode) MessageCodec.contentTree(m).deepCopy();
        c.put("event_id", "E").put("timestamp", 1);
        c.path("twin").forEach(t -> {
            if (t.path("expected").isObject()) {
                ((ObjectNode) t.path("expected").path("metadata")).put("timestamp", 1);
            }
        });
        return Frames.JSON.readTree(c.toString()); // as on the wire: long vs int nodes compare equal
    }

    @Test
    void membershipAddAndRemoveAsKubeEdge() throws Exception {
        DeviceSpec d = device("default", "counter", "edge-1", "42", "{\"value\":\"OFF\"}");
        Message add = Frames.membership("edge-1", List.of(d), List.of());
        assertEquals("devicecontroller", add.source());
        assertEquals("twin", add.group());
        assertEquals(Operations.UPDATE, add.operation());
        assertEquals("node/edge-1/membership", add.resource());
        assertEquals("membership", Resource.trimNode(add.resource()));
        assertEquals(Frames.JSON.readTree("""
                {"event_id":"E","timestamp":1,
                 "added_devices":[{"id":"default/counter","name":"counter","description":"counter"}],
                 "removed_devices":[]}"""), golden(add));
        assertTrue(!AckPolicy.needsAck(add), "membership is fire-and-forget in KubeEdge");

        Message remove = Frames.membership("edge-1", List.of(), List.of(d));
        assertEquals(Frames.JSON.readTree("""
                {"event_id":"E","timestamp":1,"added_devices":[],
                 "removed_devices":[{"id":"default/counter","name":"counter","description":"counter"}]}"""),
                golden(remove));
    }

    @Test
    void deviceAndModelObjectsAreAckedResourceMessages() throws Exception {
        DeviceSpec d = device("ns1", "counter", "edge-1", "42", "{\"value\":\"ON\"}");
        Message m = Frames.object("edge-1", Operations.INSERT, Frames.DEVICE, d.object());
        assertEquals("node/edge-1/ns1/device/counter", m.resource());
        assertEquals("resource", m.group());
        assertEquals("devicecontroller", m.source());
        assertEquals("42", m.header().resourceVersion());
        assertEquals("Device", MessageCodec.contentTree(m).path("kind").asText());
        assertTrue(AckPolicy.needsAck(m), "device objects are acked (ObjectSync)");
        JsonNode model = Frames.JSON.readTree("""
                {"apiVersion":"devices.kubeedge.io/v1beta1","kind":"DeviceModel",
                 "metadata":{"name":"counter-model","namespace":"ns1","uid":"m1","resourceVersion":"7"},"spec":{}}""");
        Message mm = Frames.object("edge-1", Operations.DELETE, Frames.MODEL, model);
        assertEquals("node/edge-1/ns1/devicemodel/counter-model", mm.resource());
        assertEquals("7", mm.header().resourceVersion());
        assertTrue(AckPolicy.needsAck(mm));
    }

    @Test
    void desiredValuesGoAsTwinCloudUpdateWithVersions() throws Exception {
        DeviceSpec d = device("default", "counter", "edge-1", "1234", "{\"value\":\"ON\",\"metadata\":{\"type\":\"string\"}}");
        Message m = Frames.twinCloudUpdate("edge-1", d, Map.of("temperature", new DeviceSpec.Desired("20", Map.of())),
                Map.of("status", "int"), 1_700_000_000_000L);
        assertEquals("node/edge-1/device/default/counter/twin/cloud_updated", m.resource());
        assertEquals("twin", m.group());
        assertEquals(Operations.UPDATE, m.operation());
        assertEquals(Frames.JSON.readTree("""
                {"event_id":"E","timestamp":1,"twin":{
                  "status":{"expected":{"value":"ON","metadata":{"timestamp":1}},"optional":false,
                            "metadata":{"type":"string"},"expected_version":{"cloud":1234,"edge":0}},
                  "temperature":{"optional":false,"metadata":{"type":"deleted"},
                            "expected_version":{"cloud":1234,"edge":0}}}}"""), golden(m));
        assertTrue(!AckPolicy.needsAck(m));
    }

    @Test
    void reportConfirmationIsKubeEdgesOk() throws Exception {
        Message report = Message.create("twin", "resource", Operations.UPDATE,
                "node/edge-1/device/default/counter/twin/edge_updated", "{}");
        Message ok = Frames.confirm("edge-1", report);
        assertEquals(report.id(), ok.parentId());
        assertEquals("node/edge-1/twin", ok.resource());
        assertEquals(Operations.RESPONSE, ok.operation());
        assertEquals("twin", ok.group());
        assertEquals("OK", ok.content());
    }

    @Test
    void specProblemsAreNamed() throws Exception {
        DeviceSpec noModel = DeviceSpec.of(Frames.JSON.readTree("""
                {"metadata":{"name":"x","namespace":"default"},"spec":{"nodeName":"n",
                 "properties":[{"name":"a"},{"name":"a"},{"desired":{"value":"1"}}]}}"""));
        assertTrue(noModel.problem().contains("no spec.deviceModelRef.name"), noModel.problem());
        assertTrue(noModel.problem().contains("property a twice"), noModel.problem());
        assertTrue(noModel.problem().contains("a property without a name"), noModel.problem());
        DeviceSpec badProps = DeviceSpec.of(Frames.JSON.readTree("""
                {"metadata":{"name":"x","namespace":"default"},"spec":{"deviceModelRef":{"name":"m"},"properties":"zz"}}"""));
        assertTrue(badProps.problem().contains("not a list"), badProps.problem());
    }
}
