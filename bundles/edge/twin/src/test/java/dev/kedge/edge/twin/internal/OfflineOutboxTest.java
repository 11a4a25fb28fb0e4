package dev.kedge.edge.twin.internal;

import static dev.kedge.edge.twin.internal.TwinProcessorTest.MEMBERSHIP_V117;
import static dev.kedge.edge.twin.internal.TwinProcessorTest.awaitStats;
import static dev.kedge.edge.twin.internal.TwinProcessorTest.mapperActual;
import static dev.kedge.edge.twin.internal.TwinTestSupport.WAIT;
import static dev.kedge.edge.twin.internal.TwinTestSupport.controller;
import static dev.kedge.edge.twin.internal.TwinTestSupport.link;
import static dev.kedge.edge.twin.internal.TwinTestSupport.mqtt;
import static dev.kedge.edge.twin.internal.TwinTestSupport.published;
import static dev.kedge.edge.twin.internal.TwinTestSupport.tree;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import dev.kedge.core.Message;
import dev.kedge.core.ModuleNames;
import dev.kedge.core.Operations;
import dev.kedge.core.testing.RecordingBus;
import dev.kedge.edge.store.internal.SqliteStore;
import dev.kedge.edge.store.testing.TestStores;

/**
 * Reports made while the cloud is away stay in SQLite, coalesced to the latest per twin and per device state, and
 * reach the cloud after the edge restarts and the link comes up; KubeEdge drops them.
 */
class OfflineOutboxTest {
    @TempDir
    Path dir;

    @Test
    void latestReportsSurviveARestartAndReachTheCloudOnReconnect() throws Exception {
        Path db = dir.resolve("edgecore.db");
        RecordingBus bus = new RecordingBus();
        SqliteStore store = TestStores.open(db);
        TwinProcessor twin = new TwinProcessor(bus, store, TwinSettings.defaults(), () -> "edge-1");
        twin.receive(controller("membership", MEMBERSHIP_V117));
        for (int v = 1; v <= 50; v++) {
            twin.receive(mqtt("$hw/events/device/default/sensor-2/twin/update", mapperActual(Integer.toString(v))));
        }
        twin.receive(mqtt("$hw/events/device/default/sensor-2/state/update",
                TwinProcessorTest.MAPPER_STATE));
        published(bus, "$hw/events/device/default/sensor-2/state/update/result");
        published(bus, "$hw/events/device/default/sensor-2/twin/update/result",
                n -> "50".equals(n.at("/twin/temperature/actual/value").asText()));
        assertEquals(2, twin.stats().outboxPending(), "one row per twin, one per device state");
        assertTrue(bus.sentTo(ModuleNames.EDGEHUB).isEmpty(), "nothing goes to the cloud while it is away");
        twin.stop();
        store.close(Duration.ofSeconds(5));

        RecordingBus bus2 = new RecordingBus();
        SqliteStore reopened = TestStores.open(db);
        TwinProcessor again = new TwinProcessor(bus2, reopened, TwinSettings.defaults(), () -> "edge-1");
        try {
            assertEquals(2, again.stats().outboxPending());
            again.receive(link(true));
            Message twinReport = bus2.await(m -> "device/default/sensor-2/twin/edge_updated".equals(m.resource()),
                    WAIT, "twin report");
            assertEquals("twin", twinReport.source());
            assertEquals(ModuleNames.ROUTE_RESOURCE, twinReport.group());
            assertEquals(Operations.UPDATE, twinReport.operation());
            JsonNode t = tree(twinReport).at("/twin/temperature");
            assertEquals("50", t.at("/actual/value").asText());
            assertEquals(50, t.at("/actual_version/edge").asLong());
            Message state = bus2.await(m -> "device/default/sensor-2/state/update".equals(m.resource()), WAIT,
                    "state report");
            assertInstanceOf(String.class, state.content(), "KubeEdge sends the state report as a JSON string");
            assertEquals("online", tree(state).at("/device/state").asText());
            awaitStats(() -> again.stats().outboxPending() == 0);
            List<Message> reports = bus2.sentTo(ModuleNames.EDGEHUB).stream()
                    .filter(m -> m.resource().startsWith("device/")).toList();
            assertEquals(2, reports.size(), "coalesced: one twin report and one state report");
            Message detail = bus2.await(m -> "membership/detail".equals(m.resource()), WAIT, "detail request");
            assertEquals("group_membership_event", tree(detail).get("event_type").asText());
            assertTrue(reopened.checkIntegrity().ok());
        } finally {
            again.stop();
            reopened.close(Duration.ofSeconds(5));
        }
    }

    @Test
    void outboxIsBounded() throws Exception {
        RecordingBus bus = new RecordingBus();
        SqliteStore store = TestStores.open(dir.resolve("bounded.db"));
        TwinProcessor twin = new TwinProcessor(bus, store, TwinSettings.defaults().withOutboxCapacity(3),
                () -> "edge-1");
        try {
            twin.receive(controller("membership", MEMBERSHIP_V117));
            for (int i = 0; i < 10; i++) {
                twin.receive(mqtt("$hw/events/device/default/sensor-2/twin/update",
                        "{\"event_id\":\"\",\"timestamp\":1,\"twin\":{\"p" + i + "\":{\"actual\":{\"value\":\"1\"}}}}"));
            }
            published(bus, "$hw/events/device/default/sensor-2/twin/update/result", n -> n.at("/twin/p9").isObject());
            assertEquals(10, twin.stats().outboxPending());
            twin.periodic();
            assertEquals(3, twin.stats().outboxPending(), "the oldest beyond the bound are dropped");
        } finally {
            twin.stop();
            store.close(Duration.ofSeconds(5));
        }
    }
}
