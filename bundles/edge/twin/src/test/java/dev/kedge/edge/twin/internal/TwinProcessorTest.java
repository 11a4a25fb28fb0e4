package dev.kedge.edge.twin.internal;

import static dev.kedge.edge.twin.internal.TwinTestSupport.WAIT;
import static dev.kedge.edge.twin.internal.TwinTestSupport.allPublished;
import static dev.kedge.edge.twin.internal.TwinTestSupport.controller;
import static dev.kedge.edge.twin.internal.TwinTestSupport.link;
import static dev.kedge.edge.twin.internal.TwinTestSupport.meta;
import static dev.kedge.edge.twin.internal.TwinTestSupport.mqtt;
import static dev.kedge.edge.twin.internal.TwinTestSupport.published;
import static dev.kedge.edge.twin.internal.TwinTestSupport.stable;
import static dev.kedge.edge.twin.internal.TwinTestSupport.toCloud;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import dev.kedge.core.Operations;
import dev.kedge.core.testing.RecordingBus;
import dev.kedge.edge.store.internal.SqliteStore;
import dev.kedge.edge.store.testing.TestStores;
import dev.kedge.edge.twin.TwinEntry;

/** DeviceTwin on a real SQLite file and a recording bus: KubeEdge's payloads in, KubeEdge's payloads out. */
class TwinProcessorTest {
    /** KubeEdge v1.15 DeviceController: membership with the twin and its versions, device id = name. */
    static final String MEMBERSHIP_V115 = "{\"event_id\":\"e1\",\"timestamp\":1700000000000,\"added_devices\":[{"
            + "\"id\":\"sensor-1\",\"name\":\"sensor-1\",\"twin\":{\"temperature\":{\"expected\":{\"value\":\"30\","
            + "\"metadata\":{\"timestamp\":1700000000000}},\"optional\":false,\"metadata\":{\"type\":\"int\"},"
            + "\"expected_version\":{\"cloud\":1234,\"edge\":0}}}}],\"removed_devices\":null}";
    /** KubeEdge v1.17+ DeviceController: membership without twins, device id = namespace/name. */
    static final String MEMBERSHIP_V117 = "{\"event_id\":\"e2\",\"timestamp\":1700000000000,\"added_devices\":[{"
            + "\"id\":\"default/sensor-2\",\"name\":\"sensor-2\"}],\"removed_devices\":null}";
    /** mappers-go {@code CreateMessageTwinUpdate("temperature", "int", v)}. */
    static String mapperActual(String v) {
        return "{\"event_id\":\"\",\"timestamp\":1700000000001,\"twin\":{\"temperature\":{\"actual\":{\"value\":\""
                + v + "\"},\"metadata\":{\"type\":\"int\"}}}}";
    }
    /** mappers-go {@code CreateMessageState("online")}. */
    static final String MAPPER_STATE = "{\"event_id\":\"\",\"timestamp\":1700000000002,\"state\":\"online\"}";
    /** mapper-framework {@code CreateEmptyMessage()}: twin get and membership get. */
    static final String MAPPER_EMPTY = "{\"event_id\":\"\",\"timestamp\":1700000000003}";

    @TempDir
    Path dir;
    private final RecordingBus bus = new RecordingBus();
    private SqliteStore store;
    private TwinProcessor twin;

    @BeforeEach
    void start() {
        store = TestStores.open(dir.resolve("edgecore.db"));
        twin = new TwinProcessor(bus, store, TwinSettings.defaults(), () -> "edge-1");
    }

    @AfterEach
    void stop() throws InterruptedException {
        twin.stop();
        store.close(Duration.ofSeconds(5));
    }

    @Test
    void v115MembershipThenMapperReportFollowKubeEdgeShapes() throws Exception {
        twin.receive(controller("membership", MEMBERSHIP_V115));
        JsonNode updated = published(bus, "$hw/events/node/edge-1/membership/updated");
        assertEquals("{\"added_devices\":[{\"id\":\"sensor-1\",\"name\":\"sensor-1\",\"twin\":{\"temperature\":{"
                + "\"expected\":{\"value\":\"30\"},\"optional\":false,\"metadata\":{\"type\":\"int\"}}}}],"
                + "\"removed_devices\":null}", stable(updated));
        JsonNode delta = published(bus, "$hw/events/device/sensor-1/twin/update/delta");
        assertEquals("{\"twin\":{\"temperature\":{\"expected\":{\"value\":\"30\"},\"optional\":false,\"metadata\":{"
                + "\"type\":\"int\"}}},\"delta\":{\"temperature\":\"30\"}}", stable(delta));

        twin.receive(link(true));
        twin.receive(mqtt("$hw/events/device/sensor-1/twin/update", mapperActual("30")));
        JsonNode result = published(bus, "$hw/events/device/sensor-1/twin/update/result");
        assertEquals("", result.get("event_id").asText());
        assertEquals("{\"twin\":{\"temperature\":{\"actual\":{\"value\":\"30\"},\"optional\":false,\"metadata\":{"
                + "\"type\":\"int\"}}}}", stable(result));
        assertTrue(result.at("/twin/temperature/actual/metadata/timestamp").asLong() > 0, "value timestamp set");
        JsonNode doc = published(bus, "$hw/events/device/sensor-1/twin/update/document",
                n -> n.at("/twin/temperature/last").isObject());
        assertEquals("{\"twin\":{\"temperature\":{\"last\":{\"expected\":{\"value\":\"30\"},\"optional\":false,"
                + "\"metadata\":{\"type\":\"int\"}},\"current\":{\"expected\":{\"value\":\"30\"},\"actual\":{"
                + "\"value\":\"30\"},\"optional\":false,\"metadata\":{\"type\":\"int\"}}}}}", stable(doc));
        JsonNode up = toCloud(bus, "device/sensor-1/twin/edge_updated", n -> true);
        assertEquals("{\"twin\":{\"temperature\":{\"expected\":{\"value\":\"30\"},\"actual\":{\"value\":\"30\"},"
                + "\"optional\":false,\"metadata\":{\"type\":\"int\"},\"expected_version\":{\"cloud\":1234,"
                + "\"edge\":0},\"actual_version\":{\"cloud\":0,\"edge\":1}}}}", stable(up));
        assertEquals(1, allPublished(bus, "$hw/events/device/sensor-1/twin/update/delta").size(),
                "expected = actual now: no second delta");
        assertEquals(List.of("30", "30", "{\"cloud\":1234,\"edge\":0}", "{\"cloud\":0,\"edge\":1}", "int", "0"),
                row("SELECT expected, actual, expected_version, actual_version, attr_type, optional FROM device_twin"
                        + " WHERE deviceid = 'sensor-1' AND name = 'temperature'"));
    }

    @Test
    void cloudSyncsRespectVersions() throws Exception {
        twin.receive(controller("membership", MEMBERSHIP_V115));
        twin.receive(link(true));
        // the edge changes the desired value itself: its expected version becomes {1234, 1}
        twin.receive(mqtt("$hw/events/device/sensor-1/twin/update",
                "{\"event_id\":\"x\",\"timestamp\":1,\"twin\":{\"temperature\":{\"expected\":{\"value\":\"40\"}}}}"));
        published(bus, "$hw/events/device/sensor-1/twin/update/delta", n -> n.at("/delta/temperature").asText()
                .equals("40"));
        // a cloud sync that has not seen the edge's change: version conflict, the edge's copy goes back
        twin.receive(controller("device/sensor-1/twin/cloud_updated", cloudTwin("50", 1300, 0)));
        JsonNode back = toCloud(bus, "device/sensor-1/twin/edge_updated",
                n -> "40".equals(n.at("/twin/temperature/expected/value").asText()));
        assertEquals(1, back.at("/twin/temperature/expected_version/edge").asLong());
        // a stale cloud version is refused too
        twin.receive(controller("device/sensor-1/twin/cloud_updated", cloudTwin("45", 1200, 1)));
        // a sync that saw the edge's change wins
        twin.receive(controller("device/sensor-1/twin/cloud_updated", cloudTwin("50", 1300, 1)));
        published(bus, "$hw/events/device/sensor-1/twin/update/delta", n -> n.at("/delta/temperature").asText()
                .equals("50"));
        awaitStats(() -> twin.stats().versionConflicts() == 2 && twin.stats().cloudSyncs() == 2);
        TwinEntry t = twin.twins("sensor-1").get(0);
        assertEquals("50", t.expected());
        assertEquals("{\"cloud\":1300,\"edge\":1}", t.expectedVersion());
        assertEquals(List.of("50", "{\"cloud\":1300,\"edge\":1}"),
                row("SELECT expected, expected_version FROM device_twin WHERE deviceid = 'sensor-1'"));
    }

    static String cloudTwin(String value, long cloud, long edge) {
        return "{\"event_id\":\"c\",\"timestamp\":1,\"twin\":{\"temperature\":{\"expected\":{\"value\":\"" + value
                + "\"},\"optional\":false,\"metadata\":{\"type\":\"int\"},\"expected_version\":{\"cloud\":" + cloud
                + ",\"edge\":" + edge + "}}}}";
    }

    @Test
    void errorsCarryKubeEdgeCodes() throws Exception {
        twin.receive(mqtt("$hw/events/device/ghost/twin/update", mapperActual("1")));
        JsonNode notFound = published(bus, "$hw/events/device/ghost/twin/update/result");
        assertEquals(404, notFound.get("code").asInt());
        assertEquals("Update rejected due to the device is not existed", notFound.get("reason").asText());

        twin.receive(controller("membership", MEMBERSHIP_V117));
        twin.receive(mqtt("$hw/events/device/default/sensor-2/twin/update", "{not json"));
        JsonNode bad = published(bus, "$hw/events/device/default/sensor-2/twin/update/result");
        assertEquals(400, bad.get("code").asInt());
        twin.receive(mqtt("$hw/events/device/default/sensor-2/twin/update",
                "{\"event_id\":\"k\",\"timestamp\":1,\"twin\":{\"bad key!\":{\"actual\":{\"value\":\"1\"}}}}"));
        JsonNode key = published(bus, "$hw/events/device/default/sensor-2/twin/update/result",
                n -> "k".equals(n.path("event_id").asText()));
        assertEquals(MsgTwin.ERR_KEY, key.get("reason").asText());
        twin.receive(mqtt("$hw/events/device/default/sensor-2/twin/update",
                "{\"event_id\":\"t\",\"timestamp\":1,\"twin\":{\"n\":{\"actual\":{\"value\":\"abc\"},"
                        + "\"metadata\":{\"type\":\"int\"}}}}"));
        JsonNode type = published(bus, "$hw/events/device/default/sensor-2/twin/update/result",
                n -> "t".equals(n.path("event_id").asText()));
        assertEquals(400, type.get("code").asInt());
        assertEquals("the value is not int or integer", type.get("reason").asText());
        assertTrue(twin.twins("default/sensor-2").isEmpty(), "a refused update changes nothing");
        twin.receive(mqtt("$hw/events/device/default/sensor-2/twin/get", MAPPER_EMPTY));
        assertEquals("{\"twin\":{}}", stable(published(bus, "$hw/events/device/default/sensor-2/twin/get/result")));
        assertEquals(3, twin.stats().badMessages());
        assertEquals(1, twin.stats().unknownDevices());
    }

    @Test
    void getStateAndMembershipAnswers() throws Exception {
        twin.receive(controller("membership", MEMBERSHIP_V117));
        published(bus, "$hw/events/node/edge-1/membership/updated");
        twin.receive(mqtt("$hw/events/device/default/sensor-2/twin/update", mapperActual("7")));
        published(bus, "$hw/events/device/default/sensor-2/twin/update/result");
        twin.receive(mqtt("$hw/events/device/default/sensor-2/twin/get", MAPPER_EMPTY));
        assertEquals("{\"twin\":{\"temperature\":{\"actual\":{\"value\":\"7\"},\"optional\":true,\"metadata\":{"
                + "\"type\":\"int\"}}}}", stable(published(bus, "$hw/events/device/default/sensor-2/twin/get/result")));
        twin.receive(mqtt("$hw/events/device/default/sensor-2/state/update", MAPPER_STATE));
        JsonNode state = published(bus, "$hw/events/device/default/sensor-2/state/update/result");
        assertEquals("{\"device\":{\"name\":\"sensor-2\",\"state\":\"online\"}}", stable(state));
        assertEquals(state.at("/device/last_online").asText(), state.at("/device/lastOnlineTime").asText());
        twin.receive(mqtt("$hw/events/node/edge-1/membership/get", MAPPER_EMPTY));
        JsonNode members = published(bus, "$hw/events/node/edge-1/membership/get/result");
        assertEquals("{\"devices\":[{\"id\":\"default/sensor-2\",\"name\":\"sensor-2\",\"state\":\"online\"}]}",
                stable(members));
        assertEquals("online", twin.devices().get(0).state());
    }

    @Test
    void deviceObjectsFromMetaManagerDriveMembershipAndDesiredValues() throws Exception {
        String device = "{\"apiVersion\":\"devices.kubeedge.io/v1beta1\",\"kind\":\"Device\",\"metadata\":{"
                + "\"name\":\"thermo\",\"namespace\":\"default\",\"resourceVersion\":\"77\"},\"spec\":{"
                + "\"deviceModelRef\":{\"name\":\"thermo-model\"},\"nodeName\":\"edge-1\",\"properties\":[{"
                + "\"name\":\"temp\",\"desired\":{\"value\":\"21\",\"metadata\":{\"type\":\"int\"}}}]}}";
        twin.receive(meta(Operations.INSERT, "default/device/thermo", device));
        assertEquals("{\"added_devices\":[{\"id\":\"default/thermo\",\"name\":\"thermo\"}],\"removed_devices\":null}",
                stable(published(bus, "$hw/events/node/edge-1/membership/updated")));
        JsonNode delta = published(bus, "$hw/events/device/default/thermo/twin/update/delta");
        assertEquals("{\"temp\":\"21\"}", delta.get("delta").toString());
        assertEquals("{\"cloud\":77,\"edge\":0}", twin.twins("default/thermo").get(0).expectedVersion());
        // a v1.15 mapper that names the device without its namespace still reaches it
        twin.receive(mqtt("$hw/events/device/thermo/twin/update",
                "{\"event_id\":\"\",\"timestamp\":1,\"twin\":{\"temp\":{\"actual\":{\"value\":\"21\"}}}}"));
        assertEquals("{\"twin\":{\"temp\":{\"actual\":{\"value\":\"21\"},\"optional\":false,\"metadata\":{"
                + "\"type\":\"int\"}}}}", stable(published(bus, "$hw/events/device/thermo/twin/update/result")));
        twin.receive(meta(Operations.DELETE, "default/device/thermo", device));
        published(bus, "$hw/events/node/edge-1/membership/updated", n -> n.get("removed_devices").isArray());
        awaitStats(() -> twin.devices().isEmpty());
        assertEquals(List.of("0"), row("SELECT count(*) FROM device_twin WHERE deviceid = 'default/thermo'"));
    }

    private List<String> row(String sql) {
        return store.read(c -> {
            try (ResultSet rs = c.createStatement().executeQuery(sql)) {
                rs.next();
                int n = rs.getMetaData().getColumnCount();
                java.util.ArrayList<String> out = new java.util.ArrayList<>();
                for (int i = 1; i <= n; i++) {
                    out.add(rs.getString(i));
                }
                return out;
            }
        });
    }

    static void awaitStats(java.util.function.BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not reached within " + WAIT);
            }
            Thread.sleep(10);
        }
    }
}
