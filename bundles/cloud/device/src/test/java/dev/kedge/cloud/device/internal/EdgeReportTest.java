package dev.kedge.cloud.device.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import dev.kedge.core.Message;
import dev.kedge.core.MessageCodec;
import dev.kedge.core.Operations;

/** Upstream parsing of DeviceTwin's reports, both device-id generations, string and tree content. */
class EdgeReportTest {
    static final String TWIN = """
            {"event_id":"e1","timestamp":1700000000000,"twin":{
              "temperature":{"actual":{"value":"21.5","metadata":{"timestamp":1700000000001}},"metadata":{"type":"float"}},
              "status":{"expected":{"value":"ON","metadata":{"timestamp":1700000000002}},
                        "actual":{"value":"OFF","metadata":{"timestamp":1700000000003}},"metadata":{"type":"string"}}}}""";

    static Message report(String resource, Object content) {
        return Message.create("twin", "resource", Operations.UPDATE, resource, content);
    }

    @Test
    void twinReportWithNamespacedId() {
        EdgeReport r = EdgeReport.parse(report("node/edge-1/device/ns1/counter/twin/edge_updated", TWIN));
        assertEquals(EdgeReport.Kind.TWIN, r.kind());
        assertEquals("edge-1", r.node());
        assertEquals("ns1/counter", r.key());
        assertEquals(new EdgeReport.Value("21.5", "1700000000001", "float"), r.twins().get("temperature").reported());
        assertNull(r.twins().get("temperature").observedDesired());
        assertEquals(new EdgeReport.Value("ON", "1700000000002", "string"), r.twins().get("status").observedDesired());
        assertEquals("OFF", r.twins().get("status").reported().value());
    }

    @Test
    void singleLevelIdOfV115MeansDefaultNamespace() throws Exception {
        EdgeReport r = EdgeReport.parse(report("node/edge-1/device/counter/twin/edge_updated",
                MessageCodec.mapper().readTree(TWIN)));
        assertEquals("default/counter", r.key());
        assertEquals(2, r.twins().size());
    }

    @Test
    void stateReport() {
        String state = "{\"event_id\":\"e2\",\"timestamp\":1,\"device\":{\"name\":\"counter\",\"state\":\"online\","
                + "\"lastOnlineTime\":\"2026-12-03T18:00:00Z\"}}";
        EdgeReport r = EdgeReport.parse(report("node/edge-1/device/default/counter/state/update", state));
        assertEquals(EdgeReport.Kind.STATE, r.kind());
        assertEquals("online", r.state());
        assertEquals("2026-12-03T18:00:00Z", r.lastOnlineTime());
        EdgeReport old = EdgeReport.parse(report("node/edge-1/device/counter/state/update", state));
        assertEquals("default/counter", old.key());
    }

    @Test
    void malformedReportsAreRefusedWithAReason() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> EdgeReport.parse(
                report("node/edge-1/device/default/counter/twin/edge_updated", "{not json"))).getMessage()
                .contains("not JSON"));
        assertThrows(IllegalArgumentException.class, () -> EdgeReport.parse(
                report("node/edge-1/device/default/counter/twin/edge_updated", "{\"twin\":3}")));
        assertThrows(IllegalArgumentException.class, () -> EdgeReport.parse(
                report("node/edge-1/device/a/b/c/twin/edge_updated", TWIN)));
        assertThrows(IllegalArgumentException.class, () -> EdgeReport.parse(
                report("node/edge-1/devices/default/counter/twin/edge_updated", TWIN)));
        assertThrows(IllegalArgumentException.class, () -> EdgeReport.parse(
                report("node/edge-1/device/default/counter/state/update", "{\"device\":{}}")));
        assertThrows(IllegalArgumentException.class, () -> EdgeReport.parse(
                report("node/edge-1/device/default/counter/state/update", "[1]")));
    }
}
