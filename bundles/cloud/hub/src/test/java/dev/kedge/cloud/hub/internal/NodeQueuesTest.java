package dev.kedge.cloud.hub.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import dev.kedge.core.BusException;
import dev.kedge.core.Message;
import dev.kedge.core.MessageCodec;
import dev.kedge.core.Operations;

class NodeQueuesTest {

    private static Message pod(String uid, String op, String rv) {
        var content = MessageCodec.mapper().createObjectNode();
        content.putObject("metadata").put("uid", uid).put("name", "p-" + uid).put("resourceVersion", rv);
        return Message.create("edgecontroller", "resource", op, "node/n1/default/pod/p-" + uid, content)
                .withResourceVersion(rv);
    }

    @Test
    void newerVersionReplacesQueuedOneInPlace() {
        NodeQueues q = new NodeQueues(10);
        q.offer(pod("a", Operations.UPDATE, "5"), true);
        q.offer(pod("b", Operations.UPDATE, "6"), true);
        Message newer = pod("a", Operations.UPDATE, "7");
        q.offer(newer, true);
        q.offer(pod("a", Operations.UPDATE, "6"), true); // older than what is queued: ignored
        assertEquals(2, q.ackQueueSize());
        assertSame(newer, q.inFlightOrNext().message, "a keeps its place and carries RV 7");
        assertEquals(1, q.skippedStale);
    }

    @Test
    void theVersionInFlightIsNotQueuedAgain() {
        NodeQueues q = new NodeQueues(10);
        Message m = pod("a", Operations.INSERT, "5");
        q.offer(m, true);
        assertSame(m, q.inFlightOrNext().message);
        q.offer(pod("a", Operations.UPDATE, "5"), true); // a resend of the version not acked yet
        assertEquals(0, q.ackQueueSize());
        assertEquals(1, q.skippedStale);
        q.offer(pod("a", Operations.UPDATE, "6"), true); // a newer one still queues behind it
        assertEquals(1, q.ackQueueSize());
    }

    @Test
    void aDroppedQueueHoldsNothing() {
        NodeQueues q = new NodeQueues(10);
        q.offer(pod("a", Operations.UPDATE, "5"), true);
        q.offer(pod("b", Operations.UPDATE, "6"), true);
        q.inFlightOrNext();
        assertEquals(2, q.dropPending());
        assertNull(q.inFlightOrNext());
        assertEquals(0, q.ackQueueSize());
    }

    @Test
    void deleteAlwaysWins() {
        NodeQueues q = new NodeQueues(10);
        q.offer(pod("a", Operations.UPDATE, "9"), true);
        Message delete = pod("a", Operations.DELETE, "3");
        q.offer(delete, true);
        q.offer(pod("a", Operations.UPDATE, "10"), true); // an update does not resurrect a queued delete
        assertSame(delete, q.inFlightOrNext().message);
    }

    @Test
    void ackedVersionIsNotSentAgain() {
        NodeQueues q = new NodeQueues(10);
        Message m = pod("a", Operations.UPDATE, "5");
        q.offer(m, true);
        NodeQueues.InFlight f = q.inFlightOrNext();
        assertNull(q.ack("some-other-id"));
        assertSame(f.message, q.ack(f.message.id()));
        assertNull(q.inFlightOrNext());
        q.offer(pod("a", Operations.UPDATE, "5"), true); // the same version again (e.g. a resync)
        assertNull(q.inFlightOrNext(), "already acked at RV 5");
        q.offer(pod("a", Operations.UPDATE, "6"), true);
        assertEquals("6", q.inFlightOrNext().message.header().resourceVersion());
    }

    @Test
    void unackedMessageGoesBackBehindOthers() {
        NodeQueues q = new NodeQueues(10);
        q.offer(pod("a", Operations.UPDATE, "1"), true);
        q.offer(pod("b", Operations.UPDATE, "1"), true);
        assertEquals("p-a", q.inFlightOrNext().message.resource().substring(20));
        q.requeueInFlight();
        assertEquals("p-b", q.inFlightOrNext().message.resource().substring(20));
    }

    @Test
    void boundsAreEnforcedLoudly() {
        NodeQueues q = new NodeQueues(2);
        q.offer(pod("a", Operations.UPDATE, "1"), true);
        q.offer(pod("b", Operations.UPDATE, "1"), true);
        BusException e = assertThrows(BusException.class, () -> q.offer(pod("c", Operations.UPDATE, "1"), true));
        assertTrue(e.getMessage().contains("ack queue full"), e.getMessage());
        assertEquals(1, q.rejected);
        q.offer(pod("a", Operations.UPDATE, "2"), true); // replacing a queued object still works when full
        assertEquals(2, q.ackQueueSize());
    }

    @Test
    void answersToEdgeQueriesGoFirst() {
        NodeQueues q = new NodeQueues(10);
        q.offer(pod("a", Operations.UPDATE, "1"), true);
        q.offer(pod("b", Operations.UPDATE, "1"), true);
        Message query = Message.create("metamanager", "resource", Operations.QUERY, "default/configmap/c", null);
        Message answer = Message.responseTo(query, MessageCodec.mapper().createObjectNode().put("data", "x"));
        q.offer(answer, true);
        assertSame(answer, q.inFlightOrNext().message, "the answer jumps the object queue");
        assertEquals(2, q.ackQueueSize());
    }

    @Test
    void fireAndForgetIsSeparate() {
        NodeQueues q = new NodeQueues(10);
        Message status = Message.create("edgecontroller", "resource", Operations.UPDATE, "node/n1/default/podstatus/p", null);
        q.offer(status, false);
        assertSame(status, q.pollNoAck());
        assertNull(q.pollNoAck());
        assertNull(q.inFlightOrNext());
    }

    @Test
    void forgottenAcksLetTheSameVersionThroughAgain() {
        NodeQueues q = new NodeQueues(10);
        Message m = Message.create("edgecontroller", "resource", "insert", "node/n1/default/configmap/c",
                ConfigMapsForTest.object("u1")).withResourceVersion("5");
        q.offer(m, true);
        assertSame(m, q.ack(q.inFlightOrNext().message.id()));
        q.offer(m, true);
        assertEquals(0, q.ackQueueSize(), "version 5 was acked: not sent again");
        q.forgetAcked();
        q.offer(m, true);
        assertEquals(1, q.ackQueueSize(), "the edge lost it: sent again");
    }

    /** A content with a metadata.uid, as NodeQueues keys its ack queue by it. */
    private static final class ConfigMapsForTest {
        static com.fasterxml.jackson.databind.JsonNode object(String uid) {
            com.fasterxml.jackson.databind.node.ObjectNode o = dev.kedge.core.MessageCodec.mapper().createObjectNode();
            o.putObject("metadata").put("uid", uid);
            return o;
        }
    }
}
