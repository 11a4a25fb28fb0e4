package dev.kedge.itests.modules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.kedge.core.BusException;
import dev.kedge.core.Message;
import dev.kedge.core.Operations;
import dev.kedge.core.testing.RecordingBus;

@Timeout(10)
class EdgeApplierTest {
    private final FakeBus bus = new FakeBus();
    private final EdgeApplier applier = new EdgeApplier(bus, 0);

    private static Message write(String op, String resource, long rv) {
        return Message.create("edgecontroller", "resource", op, resource, ConfigMaps.configMap("default", "x", rv))
                .withResourceVersion(Long.toString(rv));
    }

    @Test
    void appliesHighestVersionPerKeyAndAcksEveryMessage() {
        Message v3 = write("update", "default/configmap/a", 3);
        List<Message> in = List.of(write("insert", "default/configmap/a", 1), v3,
                write("update", "default/configmap/a", 2), v3, write("insert", "default/configmap/b", 5));
        in.forEach(applier::receive);

        Map<String, Long> s = Stats.parse(applier.stats());
        assertEquals(5, s.get("received"));
        assertEquals(3, s.get("applied"));
        assertEquals(1, s.get("duplicateIds"));
        assertEquals(2, s.get("staleIgnored")); // rv 2 after 3, and the resent rv 3
        assertEquals(2, s.get("keys"));
        assertEquals(8, s.get("sumFinalVersions"));
        assertEquals(5, s.get("acked"));

        List<Message> acks = bus.sentTo("websocket");
        assertEquals(5, acks.size());
        for (int i = 0; i < in.size(); i++) {
            Message ack = acks.get(i);
            assertEquals(in.get(i).id(), ack.parentId());
            assertNotEquals(in.get(i).id(), ack.id());
            assertEquals(Operations.RESPONSE, ack.operation());
            assertEquals(Operations.OK, ack.content());
            assertEquals(in.get(i).resource(), ack.resource());
            assertEquals("edgecontroller", ack.source());
        }
    }

    @Test
    void takesVersionFromContentWhenHeaderHasNone() {
        applier.receive(Message.create("edgecontroller", "resource", "insert", "default/configmap/a",
                ConfigMaps.configMap("default", "a", 7)));
        assertEquals(7, Stats.parse(applier.stats()).get("sumFinalVersions"));
    }

    @Test
    void deleteRemovesKeyUnlessStale() {
        applier.receive(write("insert", "default/configmap/a", 4));
        applier.receive(write("delete", "default/configmap/a", 3));
        assertEquals(1, Stats.parse(applier.stats()).get("keys"));
        applier.receive(write("delete", "default/configmap/a", 5));
        Map<String, Long> s = Stats.parse(applier.stats());
        assertEquals(0, s.get("keys"));
        assertEquals(2, s.get("applied"));
        assertEquals(1, s.get("staleIgnored"));
        assertEquals(3, bus.sentTo("websocket").size());
    }

    @Test
    void ignoresNonWritesAndResponses() {
        applier.receive(Message.create("edgehub", "resource", Operations.CONNECT, "node/connection", "cloud_connected"));
        applier.receive(Message.responseTo(write("update", "default/configmap/a", 1), "whatever"));
        assertEquals(0, Stats.parse(applier.stats()).get("received"));
        assertTrue(bus.sent().isEmpty());
    }

    @Test
    void countsAcksTheBusRefused() {
        bus.fullModule = "websocket";
        applier.receive(write("insert", "default/configmap/a", 1));
        Map<String, Long> s = Stats.parse(applier.stats());
        assertEquals(1, s.get("applied"));
        assertEquals(0, s.get("acked"));
        assertEquals(1, s.get("ackFailed"));
    }

    @Test
    void ackDelaySlowsEachAck() {
        EdgeApplier slow = new EdgeApplier(bus, 40);
        long start = System.nanoTime();
        slow.receive(write("insert", "default/configmap/a", 1));
        assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) >= 40);
        assertEquals(1, bus.sentTo("websocket").size());
    }

    @Test
    void upstreamRetriesTheSameMessageAndLeavesAnswerAcksToEdgeHub() {
        // query 0: timeout, then an offline error answer, then an answer; query 1: answered at once
        bus.answerSync((n, m) -> switch (n) {
            case 1 -> throw new BusException(BusException.Reason.TIMEOUT, "slow");
            case 2 -> Message.errorTo(m, "not connected");
            default -> Message.responseTo(m, ConfigMaps.configMap("default", "q", 1));
        });
        UpstreamRun run = applier.upstream(2, Duration.ofMillis(100), 3, 0, 0);

        assertEquals("EDGE-UP count=2 answered=2 retried=2 failed=0 ms=" + run.ms(), run.summary());
        List<Message> q = bus.messages(RecordingBus.SYNC);
        assertEquals(4, q.size());
        assertEquals(q.get(0).id(), q.get(1).id());
        assertEquals(q.get(0).id(), q.get(2).id());
        assertNotEquals(q.get(0).id(), q.get(3).id());
        assertEquals("default/configmap/q-0", q.get(0).resource());
        assertEquals("default/configmap/q-1", q.get(3).resource());
        assertEquals(Operations.QUERY, q.get(0).operation());
        assertEquals("itest", q.get(0).source());

        // EdgeHub acks answers when it hands them over: a module acking too would only send duplicates
        assertEquals(0, bus.sentTo("websocket").size());
        Map<String, Long> s = Stats.parse(applier.stats());
        assertEquals(2, s.get("up.answered"));
        assertEquals(2, s.get("up.retried"));
        assertEquals(0, s.get("up.failed"));
    }

    @Test
    void upstreamGivesUpAfterRetries() {
        UpstreamRun run = applier.upstream(2, Duration.ofMillis(10), 1, 1, 0);
        assertEquals(0, run.answered());
        assertEquals(2, run.failed());
        assertEquals(2, run.retried());
        assertEquals(4, bus.messages(RecordingBus.SYNC).size());
        assertTrue(bus.sent().isEmpty());
    }

    @Test
    void statsAreReadableWhileTheBusThreadApplies() throws InterruptedException {
        int n = 2000;
        Thread busThread = new Thread(() -> {
            for (int i = 1; i <= n; i++) {
                applier.receive(write("update", "default/configmap/k" + (i % 10), i));
            }
        });
        busThread.start();
        while (busThread.isAlive()) {
            assertFalse(applier.stats().isEmpty());
            busThread.join(1);
        }
        busThread.join(5000);
        Map<String, Long> s = Stats.parse(applier.stats());
        assertEquals(n, s.get("applied"));
        assertEquals(10, s.get("keys"));
        long expected = 0;
        for (int i = n - 9; i <= n; i++) {
            expected += i;
        }
        assertEquals(expected, s.get("sumFinalVersions"));
        applier.reset();
        assertEquals(0, Stats.parse(applier.stats()).get("received"));
    }
}
