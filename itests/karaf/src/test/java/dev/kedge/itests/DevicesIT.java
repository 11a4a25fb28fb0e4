package dev.kedge.itests;

import static dev.kedge.itests.EdgeNodeIT.await;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.FixMethodOrder;
import org.junit.Test;
import org.junit.runners.MethodSorters;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.kedge.core.testing.FreePorts;

/**
 * Issue #9 end to end, as a cluster admin and a device developer see it: a real kube-apiserver, the cloud and the edge
 * distribution as processes; v1beta1 DeviceModel and Device applied with kubectl; Debian's mosquitto_pub and
 * mosquitto_sub as the mapper, talking KubeEdge's {@code $hw/events/...} topics to the edge's embedded broker.
 */
@FixMethodOrder(MethodSorters.NAME_ASCENDING)
public class DevicesIT {
    static final String PW = "devices-test-Pw-1";
    static final String RUN = Long.toString(System.currentTimeMillis(), 36);
    static final String NODE = "devs-" + RUN;
    static final String NS = "devs-it-" + RUN;
    static final String DEVICE = "thermo-1";
    static final ObjectMapper JSON = new ObjectMapper();

    static KedgeProcess cloud;
    static KedgeProcess edge;
    static EdgeDb db;
    static int mqttPort;
    static Mqtt.Subscriber sub;

    @BeforeClass
    public static void startAndJoin() throws Exception {
        JoinedPair pair = JoinedPair.unpack("devices", PW);
        cloud = pair.cloud;
        edge = pair.edge;
        mqttPort = FreePorts.belowEphemeral();
        // the embedded broker (Kedge's default, mqttMode 0) on a port of this run
        edge.writeConfig("dev.kedge.edge.broker", Map.of("port", String.valueOf(mqttPort)));
        edge.writeConfig("dev.kedge.edge.eventbus", Map.of("mqttServerInternal", "tcp://127.0.0.1:" + mqttPort));
        Kubectl.tryRun("create", "namespace", NS);
        pair.startAndJoin(NODE);
        edge.awaitOutput("kedge", PW, "eventbus:status", "CONNECTED", 60);
        db = EdgeDb.of(edge);
        sub = new Mqtt.Subscriber(mqttPort, "$hw/events/#", pair.base.resolve("mosquitto_sub.out"));
        // the CRDs are installed by DeviceController at start
        await("devices.kubeedge.io CRDs served", 60,
                () -> Kubectl.tryRun("get", "devices", "-n", NS).exitCode() == 0 ? 1 : null);
    }

    @AfterClass
    public static void stopBoth() throws Exception {
        try (Mqtt.Subscriber s = sub; KedgeProcess e = edge; KedgeProcess c = cloud) {
            Kubectl.tryRun("delete", "namespace", NS, "--wait=false");
            Kubectl.tryRun("delete", "node", NODE, "--wait=false");
        }
    }

    @Test
    public void t1_aDeviceAppliedWithKubectlBecomesMembershipAtTheEdge() throws Exception {
        Kubectl.apply(model() + "---\n" + device(DEVICE, "20"));
        await("device row at the edge", 30, () -> db.rows("SELECT name FROM device WHERE name = ?", DEVICE)
                .isEmpty() ? null : 1);
        await("twin row at the edge", 30, () -> db.rows("SELECT * FROM device_twin WHERE name = ?",
                "temperature").isEmpty() ? null : 1);
        await("membership/updated published", 30, () -> sub.payloads("$hw/events/node/" + NODE
                + "/membership/updated").stream().anyMatch(p -> p.contains(DEVICE)) ? 1 : null);
        String devices = edge.client("kedge", PW, "twin:devices").output();
        assertTrue(devices, devices.contains(DEVICE));
    }

    @Test
    public void t2_aReportedValueFromMqttReachesTheDeviceStatus() throws Exception {
        List<Long> ms = new ArrayList<>();
        for (int v = 21; v <= 30; v++) {
            long t0 = System.nanoTime();
            Mqtt.publish(mqttPort, twinUpdateTopic(DEVICE), reported("temperature", String.valueOf(v)));
            String want = String.valueOf(v);
            await("reported " + v + " in the Device status", 30,
                    () -> want.equals(reportedInApi(DEVICE, "temperature")) ? 1 : null);
            ms.add((System.nanoTime() - t0) / 1_000_000);
        }
        ms.sort(null);
        System.out.println("DEVICES reported value (mosquitto_pub) → Device status in the API: p50 " + ms.get(4)
                + " ms, max " + ms.get(9) + " ms (incl. mosquitto_pub and kubectl polling)");
    }

    @Test
    public void t3_aDesiredValuePatchedWithKubectlReachesTheMapperAsADelta() throws Exception {
        Kubectl.apply(device(DEVICE, "42"));
        await("twin/update/delta with 42", 30, () -> sub.payloads(twinUpdateTopic(DEVICE) + "/delta").stream()
                .anyMatch(p -> p.contains("42")) ? 1 : null);
    }

    @Test
    public void t4_reportsMadeWhileTheCloudIsAwayArriveAfterItReturns() throws Exception {
        cloud.close();
        edge.awaitConsole("kedge", PW, "edgehub:status", "DISCONNECTED", 60);
        List<String> lines = new ArrayList<>();
        for (int i = 1; i <= 100; i++) {
            lines.add(reported("temperature", String.valueOf(1000 + i)));
        }
        Mqtt.publishLines(mqttPort, twinUpdateTopic(DEVICE), lines);
        cloud.start();
        edge.awaitConsole("kedge", PW, "edgehub:status", "CONNECTED", 120);
        await("the last reported value (1100) in the API", 60,
                () -> "1100".equals(reportedInApi(DEVICE, "temperature")) ? 1 : null);
    }

    @Test
    public void t5_badMessagesAreCountedAndHarmless() throws Exception {
        String topic = twinUpdateTopic(DEVICE);
        String before = edge.client("kedge", PW, "twin:stats").output();
        List<String> bad = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            bad.add(switch (i % 4) {
                case 0 -> "{not json";
                case 1 -> "{\"twin\":{\"temperature\":{\"actual\":{\"value\":42}}}}";  // a number, not a string
                case 2 -> "[]";
                default -> "\"just a string\"";
            });
        }
        Mqtt.publishLines(mqttPort, topic, bad);
        Mqtt.publish(mqttPort, "$hw/events/device/" + NS + "/ghost/twin/update", reported("temperature", "1"));
        Mqtt.publish(mqttPort, topic, reported("temperature", "77"));
        await("a valid report after the bad ones", 30, () -> "77".equals(reportedInApi(DEVICE, "temperature")) ? 1 : null);
        String stats = edge.client("kedge", PW, "twin:stats").output();
        System.out.println("DEVICES twin:stats after 200 bad messages:\n" + stats.trim());
        assertTrue("200 bad messages counted: " + stats,
                Counters.of(stats, "Bad messages") - Counters.of(before, "Bad messages") >= 200);
        assertTrue("the unknown device counted: " + stats,
                Counters.of(stats, "Unknown devices") > Counters.of(before, "Unknown devices"));
        assertEquals("no failed writes: " + stats, 0, Counters.of(stats, "Failed writes"));
    }

    @Test
    public void t6_aDeletedDeviceLeavesTheEdge() throws Exception {
        Kubectl.run("delete", "device", "-n", NS, DEVICE);
        await("device rows gone", 30, () -> db.rows("SELECT name FROM device WHERE name = ?", DEVICE).isEmpty()
                && db.rows("SELECT * FROM device_twin WHERE name = ?", "temperature").isEmpty() ? 1 : null);
        await("membership/updated with the removal", 30, () -> sub.payloads("$hw/events/node/" + NODE
                + "/membership/updated").stream().anyMatch(p -> p.contains("removed_devices") && p.contains(DEVICE)
                        && !p.contains("\"removed_devices\":[]") && !p.contains("\"removed_devices\":null")) ? 1 : null);
        assertEquals("ok", db.integrityCheck());
    }

    @Test
    public void t6a_devicesAndTwinsRanWithoutAnObjectMapper() throws Exception {
        LoadedClasses.assertNoObjectMapper(edge.pid(5), "after devices, twins, reports and bad messages");
    }

    @Test
    public void t7_killMinusNineDuringTwinUpdatesLosesNothingTheMapperWasAnswered() throws Exception {
        String device = "thermo-2";
        Kubectl.apply(device(device, "1"));
        await(device + " at the edge", 30, () -> db.rows("SELECT id FROM device WHERE name = ?", device).isEmpty()
                ? null : 1);
        String topic = twinUpdateTopic(device);
        List<String> lines = new ArrayList<>();
        for (int v = 5001; v <= 9000; v++) {
            lines.add(reported("temperature", String.valueOf(v)));
        }
        Thread mapper = new Thread(() -> {
            try {
                Mqtt.publishLines(mqttPort, topic, lines);
            } catch (Throwable expected) {
                // the broker dies with the edge: mosquitto_pub stops there
            }
        });
        mapper.start();
        await("200 results before the kill", 60, () -> sub.payloads(topic + "/result").size() >= 200 ? 1 : null);
        edge.kill();
        mapper.join(30_000);
        // a result goes to the mapper only after the commit: every value answered must be in the file
        long answered = 0;
        for (String p : sub.payloads(topic + "/result")) {
            answered = Math.max(answered, JSON.readTree(p).path("twin").path("temperature").path("actual")
                    .path("value").asLong(0));
        }
        assertEquals("ok", db.integrityCheck());
        List<Map<String, String>> rows = db.rows("SELECT t.actual AS actual FROM device_twin t JOIN device d "
                + "ON t.deviceid = d.id WHERE d.name = ? AND t.name = 'temperature'", device);
        assertEquals(rows.toString(), 1, rows.size());
        long stored = Long.parseLong(rows.get(0).get("actual").replaceAll("\\D+", ""));
        System.out.println("DEVICES kill -9 during twin updates: answered up to " + answered + ", stored " + stored
                + ", integrity ok");
        assertTrue("answered " + answered + " but stored " + stored, stored >= answered);

        edge.start();
        edge.awaitConsole("kedge", PW, "edgehub:status", "CONNECTED", 120);
        edge.awaitOutput("kedge", PW, "eventbus:status", "CONNECTED", 60);
        Mqtt.publish(mqttPort, topic, reported("temperature", "9999"));
        await("a report after the restart in the API", 60,
                () -> "9999".equals(reportedInApi(device, "temperature")) ? 1 : null);
    }

    // ---- helpers

    static String twinUpdateTopic(String device) {
        return "$hw/events/device/" + NS + "/" + device + "/twin/update";
    }

    static String reported(String property, String value) {
        return "{\"event_id\":\"\",\"timestamp\":" + System.currentTimeMillis() + ",\"twin\":{\"" + property
                + "\":{\"actual\":{\"value\":\"" + value + "\"},\"metadata\":{\"type\":\"Updated\"}}}}";
    }

    /** The reported value of a twin in the Device's status (v1beta1 up to v1.22), or in its DeviceStatus (v1.23). */
    static String reportedInApi(String device, String property) throws Exception {
        JsonNode d = Kubectl.get("device", "-n", NS, device);
        String v = reportedIn(d, property);
        if (v == null && Kubectl.tryRun("get", "devicestatuses", "-n", NS).exitCode() == 0) {
            v = reportedIn(Kubectl.get("devicestatus", "-n", NS, device), property);
        }
        return v;
    }

    private static String reportedIn(JsonNode obj, String property) {
        if (obj == null) {
            return null;
        }
        for (JsonNode t : obj.path("status").path("twins")) {
            if (property.equals(t.path("propertyName").asText())) {
                return t.path("reported").path("value").asText(null);
            }
        }
        return null;
    }

    static String model() {
        return "apiVersion: devices.kubeedge.io/v1beta1\nkind: DeviceModel\nmetadata: {name: thermo-model, namespace: "
                + NS + "}\nspec:\n  protocol: virtual\n  properties:\n"
                + "  - {name: temperature, type: INT, accessMode: ReadWrite, minimum: \"0\", maximum: \"100000\", unit: C}\n";
    }

    /** A Device as KubeEdge's v1.23 examples write it, {@code methods} included (v1.15's schema refuses that). */
    static String device(String name, String desired) {
        return "apiVersion: devices.kubeedge.io/v1beta1\nkind: Device\nmetadata: {name: " + name + ", namespace: " + NS
                + "}\nspec:\n  deviceModelRef: {name: thermo-model}\n  nodeName: " + NODE + "\n"
                + "  protocol: {protocolName: virtual, configData: {}}\n"
                + "  methods:\n  - {name: setTemperature, description: set it, propertyNames: [temperature]}\n"
                + "  properties:\n  - name: temperature\n    desired: {value: '" + desired + "'}\n"
                + "    reportToCloud: true\n    collectCycle: 1000\n    reportCycle: 1000\n"
                + "    visitors: {protocolName: virtual, configData: {dataType: int}}\n";
    }
}
