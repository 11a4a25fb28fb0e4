package dev.kedge.cloud.device.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;

import dev.kedge.cloud.kube.testing.TestApiServer;
import dev.kedge.core.Message;
import dev.kedge.core.MessageCodec;
import dev.kedge.core.ModuleNames;
import dev.kedge.core.Operations;
import dev.kedge.core.testing.RecordingBus;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.Resource;

/**
 * The DeviceController against the real kube-apiserver ({@code KUBECONFIG}) with a recording bus instead of CloudHub:
 * CRDs installed, v1beta1 objects in KubeEdge's example shapes (with {@code methods} and {@code pushMethod}, which
 * v1.15's schema did not know), membership/objects/twins down, reports up into Device and DeviceStatus status.
 * Objects use unique {@code dc-test-} names in {@code default} and are removed afterwards; the CRDs stay.
 */
class DeviceControllerApiServerIT {
    private static final Logger LOG = LoggerFactory.getLogger(DeviceControllerApiServerIT.class);
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String NS = "default";
    private static final String ID = "dc-test-" + UUID.randomUUID().toString().substring(0, 8);
    private static final String EDGE = ID + "-edge";
    private static final String EDGE2 = ID + "-edge2";
    private static final String PLAIN = ID + "-plain";
    private static final String MODEL = ID + "-model";
    private static final String DEVICE = ID + "-thermo";

    private static KubernetesClient client;
    private static RecordingBus bus;
    private static Controller controller;

    @BeforeAll
    static void start() throws Exception {
        client = TestApiServer.client("DeviceControllerApiServerIT");
        for (String n : List.of(EDGE, EDGE2, PLAIN)) {
            client.nodes().resource(new NodeBuilder().withNewMetadata().withName(n)
                    .withLabels(n.equals(PLAIN) ? Map.of() : Map.of(Downstream.EDGE_LABEL, "")).endMetadata().build())
                    .create();
        }
        bus = new RecordingBus();
        controller = new Controller(client, bus, () -> null, Settings.forTests());
        controller.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (!controller.started()) {
            assertTrue(System.nanoTime() < deadline, "CRDs or informers not ready");
            Thread.sleep(50);
        }
    }

    @AfterAll
    static void stop() {
        if (controller != null) {
            controller.close();
        }
        if (client == null) {
            return;
        }
        for (var kind : List.of(DeviceKinds.DEVICE, DeviceKinds.STATUS, DeviceKinds.MODEL)) {
            try {
                client.genericKubernetesResources(kind).inNamespace(NS).list().getItems().stream()
                        .filter(o -> o.getMetadata().getName().startsWith(ID))
                        .forEach(o -> client.genericKubernetesResources(kind).inNamespace(NS)
                                .withName(o.getMetadata().getName()).delete());
            } catch (RuntimeException e) {
                LOG.warn("cleanup of {} failed: {}", kind.getPlural(), e.toString());
            }
        }
        for (String n : List.of(EDGE, EDGE2, PLAIN)) {
            client.nodes().withName(n).delete();
        }
        client.close();
    }

    static GenericKubernetesResource yaml(String text) {
        return client.getKubernetesSerialization().unmarshal(text, GenericKubernetesResource.class);
    }

    static String deviceYaml(String name, String model, String node, String desired) {
        // KubeEdge's v1beta1 sample shape (build/crd-samples/devices): modbus protocol, visitors, pushMethod, methods
        return """
                apiVersion: devices.kubeedge.io/v1beta1
                kind: Device
                metadata:
                  name: %s
                  namespace: default
                  labels:
                    model: %s
                spec:
                  deviceModelRef:
                    name: %s
                  nodeName: %s
                  protocol:
                    protocolName: modbus
                    configData:
                      ip: 127.0.0.1
                      port: 5502
                      slaveID: 1
                  properties:
                    - name: temperature
                      visitors:
                        protocolName: modbus
                        configData:
                          register: HoldingRegister
                          offset: 2
                          limit: 1
                      reportCycle: 10000
                      collectCycle: 10000
                      reportToCloud: true
                      desired:
                        value: "%s"
                      pushMethod:
                        mqtt:
                          address: tcp://127.0.0.1:1883
                          topic: temperature
                          qos: 0
                          retained: false
                    - name: humidity
                      reportToCloud: true
                  methods:
                    - name: setTemperature
                      description: set the target temperature
                      propertyNames:
                        - temperature
                """.formatted(name, model, model, node, desired);
    }

    static Resource<GenericKubernetesResource> device(String name) {
        return client.genericKubernetesResources(DeviceKinds.DEVICE).inNamespace(NS).withName(name);
    }

    static Predicate<Message> to(String node, String resourceSuffix) {
        return m -> m.resource().equals("node/" + node + "/" + resourceSuffix);
    }

    static Predicate<Message> membership(String node, String list, String deviceId) {
        return m -> m.resource().equals("node/" + node + "/membership") && MessageCodec.contentTree(m).path(list)
                .findValuesAsText("id").contains(deviceId);
    }

    static Message twinReport(String node, String name, String value) {
        String content = """
                {"event_id":"%s","timestamp":%d,"twin":{"temperature":{"actual":{"value":"%s","metadata":{"timestamp":%d}},
                 "expected":{"value":"25","metadata":{"timestamp":1}},"metadata":{"type":"int"}}}}"""
                .formatted(UUID.randomUUID(), System.currentTimeMillis(), value, System.currentTimeMillis());
        return Message.create("twin", ModuleNames.ROUTE_RESOURCE, Operations.UPDATE,
                "node/" + node + "/device/" + NS + "/" + name + "/twin/edge_updated", content);
    }

    static JsonNode twin(GenericKubernetesResource obj, String prop) {
        for (JsonNode t : MessageCodec.mapper().valueToTree(obj.getAdditionalProperties()).path("status").path("twins")) {
            if (prop.equals(t.path("propertyName").asText())) {
                return t;
            }
        }
        return MessageCodec.mapper().missingNode();
    }

    static boolean reported(String name, String value) {
        GenericKubernetesResource d = device(name).get();
        return d != null && value.equals(twin(d, "temperature").path("reported").path("value").asText());
    }

    static void awaitTrue(java.util.function.BooleanSupplier cond, String what) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("timed out waiting for " + what + "\n" + bus.describe());
            }
            Thread.sleep(5);
        }
    }

    @Test
    void deviceLifecycleDownAndUp() throws Exception {
        var models = client.genericKubernetesResources(DeviceKinds.MODEL).inNamespace(NS);
        models.resource(yaml("""
                apiVersion: devices.kubeedge.io/v1beta1
                kind: DeviceModel
                metadata:
                  name: %s
                  namespace: default
                spec:
                  protocol: modbus
                  properties:
                    - name: temperature
                      description: temperature sensor model
                      type: INT
                      accessMode: ReadWrite
                      maximum: "100"
                      minimum: "1"
                      unit: Celsius
                    - name: humidity
                      type: FLOAT
                      accessMode: ReadOnly
                """.formatted(MODEL))).create();
        GenericKubernetesResource created = client.genericKubernetesResources(DeviceKinds.DEVICE).inNamespace(NS)
                .resource(yaml(deviceYaml(DEVICE, MODEL, EDGE, "20"))).create();
        assertEquals("setTemperature", MessageCodec.mapper().valueToTree(created.getAdditionalProperties())
                .at("/spec/methods/0/name").asText(), "v1.23 schema keeps methods");
        String id = NS + "/" + DEVICE;

        // added: membership, the model, the device, its desired values
        Message add = bus.await(membership(EDGE, "added_devices", id), WAIT, "membership add");
        Message modelInsert = bus.await(to(EDGE, NS + "/devicemodel/" + MODEL), WAIT, "model insert");
        Message deviceInsert = bus.await(to(EDGE, NS + "/device/" + DEVICE), WAIT, "device insert");
        assertEquals(Operations.INSERT, modelInsert.operation());
        assertEquals(Operations.INSERT, deviceInsert.operation());
        assertEquals(created.getMetadata().getResourceVersion(), deviceInsert.header().resourceVersion());
        assertEquals("twin", add.group());
        assertTrue(bus.indexOf(add) < bus.indexOf(deviceInsert));
        Message twin = bus.await(to(EDGE, "device/" + id + "/twin/cloud_updated"), WAIT, "desired twin");
        assertEquals("20", MessageCodec.contentTree(twin).at("/twin/temperature/expected/value").asText());
        assertEquals("int", MessageCodec.contentTree(twin).at("/twin/temperature/metadata/type").asText());
        assertTrue(bus.sent().stream().allMatch(s -> s.target().equals(ModuleNames.CLOUDHUB)));

        // desired changed → twin update with the new version, and the device object update
        bus.clear();
        GenericKubernetesResource edited = device(DEVICE).edit(d -> {
            ((List<Map<String, Object>>) ((Map<String, Object>) d.getAdditionalProperties().get("spec"))
                    .get("properties")).get(0).put("desired", Map.of("value", "25"));
            return d;
        });
        Message twin2 = bus.await(m -> m.resource().endsWith("/twin/cloud_updated")
                && "25".equals(MessageCodec.contentTree(m).at("/twin/temperature/expected/value").asText()),
                WAIT, "desired twin update");
        assertEquals(Long.parseLong(edited.getMetadata().getResourceVersion()),
                MessageCodec.contentTree(twin2).at("/twin/temperature/expected_version/cloud").asLong());
        Message update = bus.await(to(EDGE, NS + "/device/" + DEVICE), WAIT, "device update");
        assertEquals(Operations.UPDATE, update.operation());

        // upstream: reported twin → Device status and DeviceStatus, then KubeEdge's OK to the edge
        Message report = twinReport(EDGE, DEVICE, "21");
        controller.receive(report);
        awaitTrue(() -> reported(DEVICE, "21"), "reported value in Device status");
        JsonNode t = twin(device(DEVICE).get(), "temperature");
        assertEquals("int", t.at("/reported/metadata/type").asText());
        assertFalse(t.at("/reported/metadata/timestamp").asText().isEmpty());
        assertEquals("25", t.at("/observedDesired/value").asText());
        bus.await(m -> report.id().equals(m.parentId()) && "OK".equals(m.content()), WAIT, "report confirmation");
        var statuses = client.genericKubernetesResources(DeviceKinds.STATUS).inNamespace(NS);
        awaitTrue(() -> statuses.withName(DEVICE).get() != null
                && "21".equals(twin(statuses.withName(DEVICE).get(), "temperature").at("/reported/value").asText()),
                "DeviceStatus object");
        assertEquals(created.getMetadata().getUid(),
                statuses.withName(DEVICE).get().getMetadata().getOwnerReferences().get(0).getUid());

        // state
        controller.receive(Message.create("twin", ModuleNames.ROUTE_RESOURCE, Operations.UPDATE,
                "node/" + EDGE + "/device/" + NS + "/" + DEVICE + "/state/update",
                "{\"event_id\":\"s1\",\"timestamp\":1,\"device\":{\"name\":\"" + DEVICE
                        + "\",\"state\":\"online\",\"lastOnlineTime\":\"2026-12-03T18:00:00Z\"}}"));
        awaitTrue(() -> "online".equals(MessageCodec.mapper().valueToTree(device(DEVICE).get().getAdditionalProperties())
                .at("/status/state").asText()), "state in Device status");

        // the Device changed under the writer (a label here): its next patch conflicts, is re-read and retried
        long conflicts = controller.counters().getOrDefault("status.conflicts", 0L);
        device(DEVICE).edit(d -> {
            d.getMetadata().getLabels().put("touched", "yes");
            return d;
        });
        controller.receive(twinReport(EDGE, DEVICE, "22"));
        awaitTrue(() -> reported(DEVICE, "22"), "reported value after a concurrent edit");
        assertTrue(controller.counters().getOrDefault("status.conflicts", 0L) > conflicts, "a conflict was retried");
        assertEquals("online", MessageCodec.mapper().valueToTree(device(DEVICE).get().getAdditionalProperties())
                .at("/status/state").asText(), "state kept");

        // the edge reconnects: its membership and desired twins go again (neither is acked in KubeEdge)
        bus.clear();
        controller.receive(Message.create(ModuleNames.CLOUDHUB, ModuleNames.ROUTE_RESOURCE, Operations.CONNECTED,
                "node/" + EDGE, "{}"));
        bus.await(membership(EDGE, "added_devices", id), WAIT, "membership resent after reconnect");
        bus.await(to(EDGE, "device/" + id + "/twin/cloud_updated"), WAIT, "desired twins resent after reconnect");

        // a report from another node is refused; the value stays
        long refused = controller.counters().getOrDefault("upstream.notBound", 0L);
        controller.receive(twinReport(EDGE2, DEVICE, "99"));
        assertEquals(refused + 1, controller.counters().get("upstream.notBound"));

        // latency: sequential reports, each until visible in the API
        List<Long> e2e = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            String v = String.valueOf(100 + i);
            long t0 = System.nanoTime();
            controller.receive(twinReport(EDGE, DEVICE, v));
            awaitTrue(() -> reported(DEVICE, v), "reported " + v);
            e2e.add((System.nanoTime() - t0) / 1000);
        }
        Collections.sort(e2e);
        LOG.info("report → Device status visible (sequential, 30): p50 {} µs, p99 {} µs, max {} µs",
                e2e.get(14), e2e.get(29), e2e.get(29));
        assertTrue(e2e.get(14) < 1_000_000, "p50 under a second");

        // move to another edge node: removed from the old, added to the new
        bus.clear();
        device(DEVICE).edit(d -> {
            ((Map<String, Object>) d.getAdditionalProperties().get("spec")).put("nodeName", EDGE2);
            return d;
        });
        bus.await(membership(EDGE, "removed_devices", id), WAIT, "removed from the old node");
        bus.await(m -> m.resource().equals("node/" + EDGE + "/" + NS + "/device/" + DEVICE)
                && Operations.DELETE.equals(m.operation()), WAIT, "device delete on the old node");
        bus.await(membership(EDGE2, "added_devices", id), WAIT, "added to the new node");
        bus.await(m -> m.resource().equals("node/" + EDGE2 + "/" + NS + "/devicemodel/" + MODEL), WAIT,
                "model on the new node");

        // delete → removed membership
        bus.clear();
        device(DEVICE).delete();
        bus.await(membership(EDGE2, "removed_devices", id), WAIT, "removed membership on delete");
        bus.await(m -> m.resource().equals("node/" + EDGE2 + "/" + NS + "/devicemodel/" + MODEL)
                && Operations.DELETE.equals(m.operation()), WAIT, "unused model deleted on the node");
    }

    @Test
    void afterARestartObjectsTheNodeAckedAreNotResent() throws Exception {
        String model = ID + "-ledgermodel";
        String name = ID + "-ledger";
        client.genericKubernetesResources(DeviceKinds.MODEL).inNamespace(NS).resource(yaml("""
                apiVersion: devices.kubeedge.io/v1beta1
                kind: DeviceModel
                metadata: {name: %s, namespace: default}
                spec:
                  protocol: modbus
                  properties:
                    - {name: temperature, type: INT, accessMode: ReadWrite}
                    - {name: humidity, type: FLOAT, accessMode: ReadOnly}
                """.formatted(model))).create();
        client.genericKubernetesResources(DeviceKinds.DEVICE).inNamespace(NS)
                .resource(yaml(deviceYaml(name, model, EDGE, "5"))).create();
        bus.await(to(EDGE, NS + "/device/" + name), WAIT, "device insert");
        Map<String, String> versions = new java.util.HashMap<>();
        bus.sent().stream().map(RecordingBus.Call::message).filter(m -> m.resource().startsWith("node/" + EDGE + "/"
                + NS + "/device")).forEach(m -> versions.put(MessageCodec.contentTree(m).at("/metadata/uid").asText(),
                        m.header().resourceVersion()));
        // a second controller, as after a cloud restart, whose ObjectSync ledger has both objects acked
        RecordingBus bus2 = new RecordingBus();
        dev.kedge.cloud.sync.ObjectSyncLedger ledger = new dev.kedge.cloud.sync.ObjectSyncLedger() {
            @Override
            public String ackedVersion(String node, String uid) {
                return EDGE.equals(node) ? versions.getOrDefault(uid, "") : "";
            }

            @Override
            public boolean awaitSynced(Duration timeout) {
                return true;
            }
        };
        Controller restarted = new Controller(client, bus2, () -> ledger, Settings.forTests());
        try {
            restarted.start();
            bus2.await(membership(EDGE, "added_devices", NS + "/" + name), WAIT, "membership after restart");
            awaitTrue(() -> restarted.counters().getOrDefault("downstream.skippedByLedger", 0L) >= 2,
                    "ledger skips");
            assertTrue(bus2.sent().stream().noneMatch(c -> c.message().resource().equals("node/" + EDGE + "/" + NS
                    + "/device/" + name) || c.message().resource().equals("node/" + EDGE + "/" + NS
                    + "/devicemodel/" + model)), bus2.describe());
        } finally {
            restarted.close();
        }
    }

    @Test
    void invalidDevicesAreCountedAndNotSent() throws Exception {
        String model = ID + "-invmodel";
        client.genericKubernetesResources(DeviceKinds.MODEL).inNamespace(NS).resource(yaml("""
                apiVersion: devices.kubeedge.io/v1beta1
                kind: DeviceModel
                metadata: {name: %s, namespace: default}
                spec:
                  protocol: modbus
                  properties:
                    - {name: temperature, type: INT, accessMode: ReadWrite}
                """.formatted(model))).create();
        String unknownModel = ID + "-nomodel";
        String plainNode = ID + "-onplain";
        String unknownProperty = ID + "-badprop";
        var devices = client.genericKubernetesResources(DeviceKinds.DEVICE).inNamespace(NS);
        long before = controller.counters().getOrDefault("device.invalid", 0L);
        long waiting = controller.counters().getOrDefault("device.waitingForModel", 0L);
        devices.resource(yaml(deviceYaml(unknownModel, ID + "-missing", EDGE, "1"))).create();
        devices.resource(yaml(deviceYaml(plainNode, model, PLAIN, "1"))).create();
        // humidity is not in this model
        devices.resource(yaml(deviceYaml(unknownProperty, model, EDGE, "1"))).create();
        awaitTrue(() -> controller.counters().getOrDefault("device.invalid", 0L) >= before + 2
                && controller.counters().getOrDefault("device.waitingForModel", 0L) >= waiting + 1, "invalid counted");
        assertTrue(bus.sent().stream().noneMatch(s -> s.message().resource().contains(unknownModel)
                || s.message().resource().contains(plainNode) || s.message().resource().contains(unknownProperty)),
                bus.describe());
        Map<String, String> problems = new java.util.HashMap<>();
        controller.devices().forEach(d -> problems.put(d.name(), d.problem()));
        assertTrue(problems.get(unknownModel).contains("not found"), problems.toString());
        assertTrue(problems.get(plainNode).contains("not an edge node"), problems.toString());
        assertTrue(problems.get(unknownProperty).contains("humidity"), problems.toString());
    }

    @Test
    void burstOfReportsCoalescesAndMeetsTheLatencyGoal() throws Exception {
        int devicesN = 5;
        var models = client.genericKubernetesResources(DeviceKinds.MODEL).inNamespace(NS);
        String model = ID + "-burstmodel";
        models.resource(yaml("""
                apiVersion: devices.kubeedge.io/v1beta1
                kind: DeviceModel
                metadata: {name: %s, namespace: default}
                spec:
                  protocol: modbus
                  properties:
                    - {name: temperature, type: INT, accessMode: ReadWrite}
                    - {name: humidity, type: FLOAT, accessMode: ReadOnly}
                """.formatted(model))).create();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < devicesN; i++) {
            String n = ID + "-burst" + i;
            names.add(n);
            client.genericKubernetesResources(DeviceKinds.DEVICE).inNamespace(NS)
                    .resource(yaml(deviceYaml(n, model, EDGE, "1"))).create();
        }
        for (String n : names) {
            bus.await(membership(EDGE, "added_devices", NS + "/" + n), WAIT, "membership " + n);
        }
        // 100 reports/s for 5 s, spread over the devices; then the last value of each must land
        int total = 500;
        long start = System.nanoTime();
        for (int i = 0; i < total; i++) {
            long due = start + i * 10_000_000L;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            }
            controller.receive(twinReport(EDGE, names.get(i % devicesN), String.valueOf(i)));
        }
        for (int d = 0; d < devicesN; d++) {
            String last = String.valueOf(total - devicesN + d);
            String n = names.get(d);
            awaitTrue(() -> reported(n, last), "last value of " + n);
        }
        Map<String, Long> c = controller.counters();
        LOG.info("100 reports/s for 5 s over {} devices: writes {}, coalesced {}, latency p50 {} µs, p99 {} µs, "
                + "max {} µs (report accepted → Device status written; the DeviceStatus copy follows on another writer)", devicesN,
                c.get("status.deviceWrites"), c.get("upstream.reportsCoalesced"), c.get("report.latency.p50Micros"),
                c.get("report.latency.p99Micros"), c.get("report.latency.maxMicros"));
        LOG.info("API patch times: Device p50 {} µs p99 {} µs; DeviceStatus p50 {} µs p99 {} µs; load average {}",
                c.get("api.devicePatch.p50Micros"), c.get("api.devicePatch.p99Micros"),
                c.get("api.deviceStatusPatch.p50Micros"), c.get("api.deviceStatusPatch.p99Micros"),
                java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        assertNotNull(c.get("report.latency.p99Micros"));
        // the goal is a second; a loaded 2-core machine (load average 10+ while other builds run) stretches the tail
        assertTrue(c.get("report.latency.p50Micros") < 1_000_000, "p50 under a second: " + c);
        assertTrue(c.get("report.latency.p99Micros") < 2_000_000, "p99 under two seconds: " + c);
    }
}
