package dev.kedge.cloud.device.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import dev.kedge.core.Message;
import dev.kedge.core.Operations;
import dev.kedge.core.testing.RecordingBus;

/** Upstream refusals without an API server: nothing is sent, each is counted. */
class ControllerReceiveTest {

    @Test
    void malformedAndUnboundReportsAreCountedAndDropped() {
        RecordingBus bus = new RecordingBus();
        Controller c = new Controller(null, bus, () -> null, Settings.forTests());
        c.receive(Message.create("twin", "resource", Operations.UPDATE,
                "node/edge-1/device/default/counter/twin/edge_updated", "{oops"));
        c.receive(Message.create("twin", "resource", Operations.UPDATE,
                "node/edge-1/device/default/counter/twin/edge_updated", EdgeReportTest.TWIN));
        c.receive(Message.create("twin", "resource", Operations.UPDATE, "node/edge-1/whatever/x", "{}"));
        assertEquals(1L, c.counters().get("upstream.malformed"));
        assertEquals(1L, c.counters().get("upstream.notBound"));
        assertEquals(1L, c.counters().get("upstream.unknownResource"));
        assertTrue(bus.sent().isEmpty(), bus.describe());
    }
}
