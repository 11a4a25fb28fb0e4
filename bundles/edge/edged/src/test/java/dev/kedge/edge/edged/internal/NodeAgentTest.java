package dev.kedge.edge.edged.internal;

import static dev.kedge.edge.edged.internal.FakeMetaManager.at;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import dev.kedge.core.Message;
import dev.kedge.core.MessageCodec;
import dev.kedge.core.testing.RecordingBus;
import dev.kedge.edge.edged.EdgedNodeInfo;

/**
 * The node agent against a fake MetaManager, on a manual clock: registration on cloud_connected, status only on
 * change plus the periodic full report, lease renewal with resourceVersion, silence offline, retries.
 */
@Timeout(10)
class NodeAgentTest {
    private static final String NODE = "edge-a";
    private static final Duration TICK = Duration.ofSeconds(10);

    @TempDir
    Path dataDir;
    private final FakeMetaManager bus = new FakeMetaManager();
    private final ManualTimer timer = new ManualTimer();

    @Test
    void registersOnCloudConnectedWithTheEdgeLabelsAndTheMachineFromProc() throws Exception {
        NodeAgent agent = agent(Map.of("nodeLabels", "zone=lab,kedge.dev/tier=gw", "systemReserved", "cpu=500m,memory=1Gi"),
                new MachineReader(dataDir, ""));
        timer.advance(Duration.ofMinutes(1));
        assertTrue(bus.calls().isEmpty(), "nothing before the link is up: " + bus.describe());

        agent.linkChanged(true);
        timer.runPending();

        RecordingBus.Call first = bus.calls().get(0);
        Message reg = first.message();
        assertTrue(first.is(RecordingBus.SYNC), "registration waits for the answer");
        assertEquals("metamanager", first.target());
        assertEquals("insert", reg.operation());
        assertEquals("default/node/" + NODE, reg.resource());
        assertEquals("edged", reg.source());
        assertEquals("meta", reg.group());
        JsonNode node = MessageCodec.contentTree(reg);
        assertEquals("Node", node.path("kind").asText());
        assertEquals("v1", node.path("apiVersion").asText());
        assertEquals(NODE, node.at("/metadata/name").asText());
        assertEquals(MessageCodec.mapper().readTree("{\"node-role.kubernetes.io/edge\":\"\","
                + "\"node-role.kubernetes.io/agent\":\"\",\"kubernetes.io/hostname\":\"" + NODE + "\","
                + "\"kubernetes.io/os\":\"linux\",\"kubernetes.io/arch\":\""
                + MachineReader.architecture(System.getProperty("os.arch")) + "\",\"zone\":\"lab\","
                + "\"kedge.dev/tier\":\"gw\"}"), node.at("/metadata/labels"));

        // capacity from the machine, read here independently
        JsonNode status = node.path("status");
        long cpus = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("processor"))
                .count();
        long memKi = Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal:"))
                .mapToLong(l -> Long.parseLong(l.replaceAll("\\D", ""))).findFirst().orElseThrow();
        long disk = Files.getFileStore(dataDir).getTotalSpace();
        assertEquals(Long.toString(cpus), status.at("/capacity/cpu").asText());
        assertEquals(memKi * 1024, Quantities.units(status.at("/capacity/memory").asText()));
        assertEquals(disk, Quantities.units(status.at("/capacity/ephemeral-storage").asText()));
        assertEquals("110", status.at("/capacity/pods").asText());
        assertEquals(cpus * 1000 - 500, Quantities.milli(status.at("/allocatable/cpu").asText()));
        assertEquals(memKi * 1024 - (1L << 30), Quantities.units(status.at("/allocatable/memory").asText()));
        assertEquals(disk, Quantities.units(status.at("/allocatable/ephemeral-storage").asText()));

        JsonNode info = status.path("nodeInfo");
        assertEquals(Files.readString(Path.of("/etc/machine-id")).strip(), info.path("machineID").asText());
        assertEquals(Files.readString(Path.of("/proc/sys/kernel/osrelease")).strip(),
                info.path("kernelVersion").asText());
        assertFalse(info.path("bootID").asText().isEmpty());
        assertFalse(info.path("osImage").asText().isEmpty());
        assertEquals("linux", info.path("operatingSystem").asText());
        assertEquals("v1.20.2-kedge-0.1.0.test", info.path("kubeletVersion").asText());
        assertEquals("", info.path("containerRuntimeVersion").asText());
        assertEquals(10350, status.at("/daemonEndpoints/kubeletEndpoint/Port").asInt());
        assertEquals("InternalIP", status.at("/addresses/0/type").asText());
        assertEquals(NODE, status.at("/addresses/1/address").asText());
        JsonNode ready = condition(status, "Ready");
        assertEquals("True", ready.path("status").asText());
        assertEquals("EdgeReady", ready.path("reason").asText());
        assertEquals("edge is posting ready status", ready.path("message").asText());
        assertEquals("2026-03-01T10:01:00Z", ready.path("lastHeartbeatTime").asText());
        for (String c : List.of("MemoryPressure", "DiskPressure", "PIDPressure")) {
            assertEquals("False", condition(status, c).path("status").asText(), c);
        }

        // registered: UID kept, the first status and lease go out at once
        EdgedNodeInfo i = agent.info();
        assertTrue(i.registered());
        assertEquals(FakeMetaManager.NODE_UID, i.uid());
        assertEquals(1, i.registrations());
        Message st = bus.of("nodestatus").get(0);
        assertEquals("update", st.operation());
        assertEquals("default/nodestatus/" + NODE, st.resource());
        assertEquals(FakeMetaManager.NODE_UID, at(st, "/UID"));
        assertTrue(MessageCodec.contentTree(st).has("ExtendResources"));
        assertTrue(MessageCodec.contentTree(st).get("ExtendResources").isNull());
        assertEquals(1, bus.of("lease").size());
        assertEquals(1, bus.of("node").size(), "registered once per connection");

        agent.linkChanged(true); // EdgeHub's status and its broadcast may both say so
        timer.advance(TICK);
        assertEquals(1, bus.of("node").size());
    }

    @Test
    void sendsTheStatusOnlyWhenItChangesAndInFullEveryReportPeriod() {
        AtomicReference<Machine> machine = new AtomicReference<>(machine(8L << 30));
        NodeAgent agent = agent(Map.of(), machine::get);
        agent.linkChanged(true);
        timer.runPending();
        assertEquals(1, bus.of("nodestatus").size());

        timer.advance(TICK.multipliedBy(3)); // heartbeat times move, nothing else
        assertEquals(1, bus.of("nodestatus").size());
        assertEquals(3, agent.info().statusSkipped());

        machine.set(machine(50L << 20)); // below 100 Mi available
        timer.advance(TICK);
        List<Message> sent = bus.of("nodestatus");
        assertEquals(2, sent.size());
        JsonNode pressure = condition(MessageCodec.contentTree(sent.get(1)).path("Status"), "MemoryPressure");
        assertEquals("True", pressure.path("status").asText());
        assertEquals("KubeletHasInsufficientMemory", pressure.path("reason").asText());
        assertEquals("2026-03-01T10:00:40Z", pressure.path("lastTransitionTime").asText());
        JsonNode ready = condition(MessageCodec.contentTree(sent.get(1)).path("Status"), "Ready");
        assertEquals("2026-03-01T10:00:00Z", ready.path("lastTransitionTime").asText(), "Ready did not flip");
        assertEquals("2026-03-01T10:00:40Z", ready.path("lastHeartbeatTime").asText());

        // unchanged for the rest of the 300 s report period, then sent in full anyway
        timer.advance(Duration.ofSeconds(290));
        assertEquals(2, bus.of("nodestatus").size());
        timer.advance(TICK);
        assertEquals(3, bus.of("nodestatus").size());
        assertEquals(3, agent.info().statusSent());
        assertFalse(bus.calls().stream().anyMatch(s -> s.is(RecordingBus.SYNC) && s.message().resource().contains("nodestatus")),
                "status updates are fire-and-forget");
    }

    @Test
    void leaseRenewalsCarryTheAnsweredResourceVersionAndStartOverAfterAnError() {
        NodeAgent agent = agent(Map.of(), () -> machine(8L << 30));
        agent.linkChanged(true);
        timer.runPending();

        Message first = bus.of("lease").get(0);
        assertEquals("insert", first.operation());
        assertEquals("kube-node-lease/lease/" + NODE, first.resource());
        JsonNode lease = MessageCodec.contentTree(first);
        assertEquals("coordination.k8s.io/v1", lease.path("apiVersion").asText());
        assertEquals("Lease", lease.path("kind").asText());
        assertEquals(NODE, lease.at("/spec/holderIdentity").asText());
        assertEquals(40, lease.at("/spec/leaseDurationSeconds").asInt());
        assertEquals("2026-03-01T10:00:00.000000Z", lease.at("/spec/renewTime").asText());
        assertTrue(lease.at("/metadata/resourceVersion").isMissingNode());
        assertEquals("Node", lease.at("/metadata/ownerReferences/0/kind").asText());
        assertEquals(FakeMetaManager.NODE_UID, lease.at("/metadata/ownerReferences/0/uid").asText());
        String answered = bus.lastResourceVersion();

        timer.advance(TICK);
        Message second = bus.of("lease").get(1);
        assertEquals("update", second.operation());
        assertEquals(answered, at(second, "/metadata/resourceVersion"));
        assertEquals(answered, second.header().resourceVersion());
        assertEquals("2026-03-01T10:00:10.000000Z", at(second, "/spec/renewTime"));
        assertEquals(2, agent.info().leaseOk());

        bus.next.add(FakeMetaManager.error("Operation cannot be fulfilled: the object has been modified"));
        timer.advance(TICK);
        assertEquals(1, agent.info().leaseFailed());
        timer.advance(TICK);
        Message afterError = bus.of("lease").get(3);
        assertEquals("insert", afterError.operation());
        assertTrue(MessageCodec.contentTree(afterError).at("/metadata/resourceVersion").isMissingNode());
        assertEquals(3, agent.info().leaseOk());
        assertEquals(bus.lastResourceVersion(), agent.info().leaseResourceVersion());
    }

    @Test
    void sendsNothingOfflineAndRegistersAgainOnReconnect() {
        NodeAgent agent = agent(Map.of(), () -> machine(8L << 30));
        timer.advance(Duration.ofMinutes(10));
        assertTrue(bus.calls().isEmpty());

        agent.linkChanged(true);
        timer.advance(TICK);
        int online = bus.calls().size();
        agent.linkChanged(false);
        timer.advance(Duration.ofMinutes(10));
        assertEquals(online, bus.calls().size(), "offline: no status, no lease");
        assertFalse(agent.info().registered());

        agent.linkChanged(true);
        timer.runPending();
        assertEquals(2, bus.of("node").size());
        assertEquals(2, agent.info().registrations());
        List<Message> status = bus.of("nodestatus");
        assertEquals(online + 3, bus.calls().size(), "registration, then a full status and a lease renewal");
        assertEquals("update", status.get(status.size() - 1).operation());
    }

    @Test
    void retriesRegistrationAfterAnErrorAnswerOrATimeoutAndStopsWhenTheLinkGoes() {
        NodeAgent agent = agent(Map.of(), () -> machine(8L << 30));
        bus.next.add(FakeMetaManager.error("not connected"));
        bus.next.add(FakeMetaManager.timeout());
        agent.linkChanged(true);
        timer.runPending();
        assertEquals(1, bus.of("node").size());
        assertFalse(agent.info().registered());
        assertTrue(agent.info().lastError().contains("not connected"), agent.info().lastError());
        assertTrue(bus.of("nodestatus").isEmpty() && bus.of("lease").isEmpty(), "nothing before registration");

        timer.advance(Duration.ofMillis(100)); // first retry within [min, 2·min], min 100 ms by default
        timer.advance(Duration.ofMillis(100));
        assertEquals(2, bus.of("node").size());
        timer.advance(Duration.ofSeconds(2));
        assertEquals(3, bus.of("node").size());
        assertTrue(agent.info().registered());
        assertEquals(2, agent.info().registrationFailures());
        assertEquals(1, agent.info().registrations());

        // a retry pending when the link goes down dies with that connection
        agent.linkChanged(false);
        timer.runPending();
        bus.next.add(FakeMetaManager.error("not connected"));
        agent.linkChanged(true);
        timer.runPending();
        agent.linkChanged(false);
        timer.advance(Duration.ofMinutes(1));
        assertEquals(4, bus.of("node").size());
    }

    @Test
    void readsBareAnswersToAndTakesAnObjectRespErrAsAFailure() {
        NodeAgent agent = agent(Map.of(), () -> machine(8L << 30));
        bus.next.add(FakeMetaManager.objectRespErr("nodes is forbidden"));
        agent.linkChanged(true);
        timer.runPending();
        assertFalse(agent.info().registered(), "an Err answer is no registration");
        assertTrue(agent.info().lastError().contains("nodes is forbidden"), agent.info().lastError());

        bus.bare = true; // a cloud that answers with the object itself
        timer.advance(Duration.ofSeconds(2));
        assertTrue(agent.info().registered());
        assertEquals(FakeMetaManager.NODE_UID, agent.info().uid());
        assertEquals(bus.lastResourceVersion(), agent.info().leaseResourceVersion(), "lease read from a bare answer");

        bus.bare = false;
        bus.next.add(FakeMetaManager.objectRespErr("lease conflict"));
        timer.advance(TICK);
        assertEquals(1, agent.info().leaseFailed());
        assertEquals("", agent.info().leaseResourceVersion(), "after an Err the version is unknown");
        timer.advance(TICK);
        assertEquals(bus.lastResourceVersion(), agent.info().leaseResourceVersion(), "read from an ObjectResp");
    }

    @Test
    void usesTheNameItIsGivenAndRefusesAnInvalidOne() {
        AtomicReference<String> name = new AtomicReference<>("Bad_Name");
        EdgedSettings s = EdgedSettings.of(TestConfigs.config(Map.of("rootDirectory", dataDir.toString())),
                "0.1.0.test");
        NodeAgent agent = new NodeAgent(bus, s, timer, timer, name::get, () -> machine(8L << 30));
        agent.start();
        agent.linkChanged(true);
        timer.runPending();
        assertTrue(bus.calls().isEmpty());
        assertTrue(agent.info().lastError().contains("Bad_Name"), agent.info().lastError());
        name.set("edge-b");
        timer.advance(Duration.ofSeconds(1));
        assertEquals("default/node/edge-b", bus.of("node").get(0).resource());
    }

    private NodeAgent agent(Map<String, String> config, java.util.function.Supplier<Machine> machine) {
        Map<String, String> c = new java.util.HashMap<>(config);
        c.put("rootDirectory", dataDir.toString());
        EdgedSettings s = EdgedSettings.of(TestConfigs.config(c), "0.1.0.test");
        NodeAgent agent = new NodeAgent(bus, s, timer, timer, () -> NODE, machine);
        agent.start();
        return agent;
    }

    private static Machine machine(long memoryAvailable) {
        return new Machine(4, 16L << 30, memoryAvailable, 100L << 30, 60L << 30, 4_194_304, 300, "mid", "", "bid",
                "6.1.0", "Debian GNU/Linux 12 (bookworm)", "amd64", "192.0.2.10");
    }

    private static JsonNode condition(JsonNode status, String type) {
        for (JsonNode c : status.path("conditions")) {
            if (c.path("type").asText().equals(type)) {
                return c;
            }
        }
        throw new AssertionError("no condition " + type + " in " + status);
    }
}
