package dev.kedge.itests.modules;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import com.fasterxml.jackson.databind.JsonNode;

import dev.kedge.core.Message;
import dev.kedge.core.MessageCodec;
import dev.kedge.core.Operations;
import dev.kedge.core.Resource;

@Timeout(10)
class CloudResponderTest {
    private final FakeBus bus = new FakeBus();
    private final CloudResponder responder = new CloudResponder(bus);

    @Test
    void answersQueriesWithAConfigMapAndCountsRepeatedIds() {
        Message q = Message.create("itest", "resource", "query", "node/edge-1/default/configmap/q-3", null)
                .withSync(true);
        responder.receive(q);
        responder.receive(q); // the edge retried with the same msg_id

        List<Message> answers = bus.sentTo("cloudhub");
        assertEquals(2, answers.size());
        for (Message a : answers) {
            assertEquals(q.id(), a.parentId());
            assertEquals(Operations.RESPONSE, a.operation());
            assertEquals("node/edge-1/default/configmap/q-3", a.resource());
            JsonNode c = MessageCodec.contentTree(a);
            assertEquals("q-3", c.path("metadata").path("name").asText());
            assertEquals("default", c.path("metadata").path("namespace").asText());
            assertEquals(ConfigMaps.uid("default", "q-3"), c.path("metadata").path("uid").asText());
            assertEquals("1", c.path("metadata").path("resourceVersion").asText());
            assertEquals("v", c.path("data").path("k").asText());
        }
        Map<String, Long> s = Stats.parse(responder.stats(null));
        assertEquals(2, s.get("received"));
        assertEquals(1, s.get("duplicateIds"));
        assertEquals(2, s.get("answered"));
    }

    @Test
    void countsLinkEventsAndIgnoresTheRest() {
        responder.receive(Message.create("cloudhub", "resource", Operations.CONNECTED, "node/edge-1", "{}"));
        responder.receive(Message.create("cloudhub", "resource", Operations.DISCONNECTED, "node/edge-1", "{}"));
        responder.receive(Message.create("cloudhub", "resource", Operations.CONNECTED, "node/edge-1", "{}"));
        responder.receive(Message.create("itest", "resource", "update", "node/edge-1/default/nodestatus/e", null));
        Map<String, Long> s = Stats.parse(responder.stats(""));
        assertEquals(2, s.get("connectedEvents"));
        assertEquals(1, s.get("disconnectedEvents"));
        assertEquals(0, s.get("received"));
        assertEquals(0, bus.sent().size());
    }

    @Test
    void downstreamSendsRoundsWithIncreasingVersionsAndStableUids() {
        assertEquals("CLOUD-DOWN sent=6 failed=0 ms=", responder.downstream("edge-1", 3, 2).summary()
                .replaceAll("ms=\\d+", "ms="));
        List<Message> out = bus.sentTo("cloudhub");
        assertEquals(6, out.size());
        for (int i = 0; i < 6; i++) {
            Message m = out.get(i);
            int j = i % 3;
            assertEquals(i < 3 ? Operations.INSERT : Operations.UPDATE, m.operation());
            assertEquals("node/edge-1/default/configmap/cm-" + j, m.resource());
            assertEquals("edgecontroller", m.source());
            assertEquals("resource", m.group());
            assertEquals(Integer.toString(i + 1), m.header().resourceVersion());
            JsonNode meta = MessageCodec.contentTree(m).path("metadata");
            assertEquals(m.header().resourceVersion(), meta.path("resourceVersion").asText());
            assertEquals(ConfigMaps.uid("default", "cm-" + j), meta.path("uid").asText());
        }
        Map<String, Long> s = Stats.parse(responder.stats(null));
        assertEquals(6, s.get("lastVersion"));
        assertEquals(4 + 5 + 6, s.get("sumFinalVersions"));
        assertEquals(3, s.get("keys"));
        assertEquals(0, Stats.parse(responder.stats("edge-2")).get("keys"));

        responder.reset(); // versions keep growing across a reset
        responder.downstream("edge-1", 1, 1);
        s = Stats.parse(responder.stats("edge-1"));
        assertEquals(7, s.get("lastVersion"));
        assertEquals(7, s.get("sumFinalVersions"));
    }

    @Test
    void failedSendsDoNotCountAsSent() {
        bus.fullModule = "cloudhub";
        assertEquals(2, responder.downstream("edge-1", 2, 1).failed());
        Map<String, Long> s = Stats.parse(responder.stats(null));
        assertEquals(0, s.get("keys"));
        assertEquals(0, s.get("lastVersion"));
        assertEquals(2, s.get("sendFailed"));
    }

    /** What the end-to-end test checks: whatever order and resends the link produces, the edge ends at the last versions. */
    @Test
    void edgeSumMatchesCloudSumDespiteReorderingAndResends() {
        responder.downstream("edge-1", 20, 5);
        responder.downstream("edge-2", 5, 1); // another node's objects: excluded by stats(node)
        List<Message> wire = new ArrayList<>();
        for (Message m : bus.sentTo("cloudhub")) {
            if (m.resource().startsWith("node/edge-1/")) {
                Message trimmed = m.withResource(Resource.trimNode(m.resource()));
                wire.add(trimmed);
                wire.add(trimmed);
            }
        }
        Collections.shuffle(wire, new Random(42));
        EdgeApplier edge = new EdgeApplier(new FakeBus(), 0);
        wire.forEach(edge::receive);

        Map<String, Long> e = Stats.parse(edge.stats());
        Map<String, Long> c = Stats.parse(responder.stats("edge-1"));
        assertEquals(c.get("sumFinalVersions"), e.get("sumFinalVersions"));
        assertEquals(c.get("keys"), e.get("keys"));
        assertEquals(100, e.get("duplicateIds"));
        assertEquals(200, e.get("received"));
    }
}
