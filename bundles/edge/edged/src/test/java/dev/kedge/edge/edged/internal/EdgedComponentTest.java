package dev.kedge.edge.edged.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import dev.kedge.core.testing.TestScheduler;
import dev.kedge.core.Message;
import dev.kedge.core.MessageCodec;
import dev.kedge.edge.edged.EdgedNodeInfo;
import dev.kedge.edge.hub.EdgeHubStatus;

/** The component on its real thread: link events from the bus, EdgeHub's state at start, the shell's views. */
@Timeout(10)
class EdgedComponentTest {
    @TempDir
    Path dataDir;
    private final FakeMetaManager bus = new FakeMetaManager();
    private final TestScheduler scheduler = new TestScheduler();
    private EdgedComponent edged;

    @AfterEach
    void stop() throws Exception {
        if (edged != null) {
            edged.deactivate();
        }
        scheduler.stop();
    }

    @Test
    void registersWhenEdgeHubIsAlreadyConnectedUnderEdgeHubsNodeName() throws Exception {
        edged = start(Map.of());
        edged.bindHub(() -> hubStatus(EdgeHubStatus.State.CONNECTED, "hub-node"));
        await("registered", () -> edged.node().registered());
        assertEquals("default/node/hub-node", bus.of("node").get(0).resource());
        await("lease renewed", () -> edged.node().leaseOk() == 1);
    }

    @Test
    void followsTheLinkEventsOnTheBusAndIgnoresTheRest() throws Exception {
        edged = start(Map.of("nodeName", "edge-c"));
        edged.bindHub(() -> hubStatus(EdgeHubStatus.State.DISCONNECTED, "hub-node"));
        edged.receive(FakeMetaManager.linkEvent("cloud_connected"));
        await("registered", () -> edged.node().registered());
        edged.receive(FakeMetaManager.linkEvent("cloud_disconnected"));
        await("disconnected", () -> !edged.node().connected());
        edged.receive(FakeMetaManager.linkEvent("cloud_connected"));
        await("registered again", () -> edged.node().registrations() == 2);
        assertEquals("default/node/edge-c", bus.of("node").get(1).resource(), "the configured name wins");

        edged.receive(Message.create("metamanager", "edged", "insert", "default/device/d1", "{}"));
        edged.receive(FakeMetaManager.linkEvent("cloud_sideways"));
        assertEquals(2, edged.node().ignoredMessages());

        JsonNode status = MessageCodec.mapper().readTree(edged.nodeStatusJson());
        assertEquals("110", status.at("/capacity/pods").asText());
        assertEquals("edge-c", status.at("/addresses/1/address").asText());
    }

    @Test
    void anInvalidConfigurationLeavesEdgedIdleAndSaysWhy() throws Exception {
        edged = start(Map.of("nodeLabels", "no-equals-sign"));
        edged.receive(FakeMetaManager.linkEvent("cloud_connected"));
        Thread.sleep(200);
        assertTrue(bus.calls().isEmpty());
        EdgedNodeInfo info = edged.node();
        assertFalse(info.registered());
        assertTrue(info.lastError().contains("no-equals-sign"), info.lastError());
        assertThrows(IllegalStateException.class, edged::nodeStatusJson);
    }

    private EdgedComponent start(Map<String, String> config) {
        Map<String, String> c = new java.util.HashMap<>(config);
        c.put("rootDirectory", dataDir.toString());
        c.put("nodeStatusUpdateFrequency", "1");
        c.put("syncTimeout", "2");
        return new EdgedComponent(bus, scheduler, TestConfigs.config(c), "0.1.0.test", Clock.systemUTC(),
                (rt, objects) -> new FakeSpecs());
    }

    @Test
    void theNodeIsNotReadyWithoutARuntimeAndReportsTheRuntimeVersionWhenItComes() throws Exception {
        // no pod: the runtime is listed and its health asked every idle period (kubelet asks every 5 s)
        edged = start(Map.of("nodeName", "edge-r", "relistPeriodMs", "100", "relistIdlePeriodMs", "1000"));
        JsonNode without = MessageCodec.mapper().readTree(edged.nodeStatusJson());
        assertEquals("False", without.at("/conditions/3/status").asText());
        assertEquals("KubeletNotReady", without.at("/conditions/3/reason").asText());
        assertTrue(without.at("/conditions/3/message").asText().contains("container runtime is down"));

        FakeRuntime runtime = new FakeRuntime(Clock.systemUTC());
        edged.bindRuntime(runtime);
        await("Ready", () -> readyStatus().equals("True"));
        JsonNode with = MessageCodec.mapper().readTree(edged.nodeStatusJson());
        assertEquals("containerd://1.6.20", with.at("/nodeInfo/containerRuntimeVersion").asText());

        runtime.down = true;
        await("NotReady", () -> readyStatus().equals("False"));
        edged.unbindRuntime(runtime);
        await("still NotReady", () -> readyStatus().equals("False"));
    }

    private String readyStatus() {
        try {
            return MessageCodec.mapper().readTree(edged.nodeStatusJson()).at("/conditions/3/status").asText();
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    private static EdgeHubStatus hubStatus(EdgeHubStatus.State state, String node) {
        return new EdgeHubStatus(state, "127.0.0.1:10000", node,
                state == EdgeHubStatus.State.CONNECTED ? Instant.now() : null, 0, "", 0, 0, 0, 1024, 0, 0, 0);
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + 5_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                fail("not within 5 s: " + what);
            }
            Thread.sleep(10);
        }
    }
}
