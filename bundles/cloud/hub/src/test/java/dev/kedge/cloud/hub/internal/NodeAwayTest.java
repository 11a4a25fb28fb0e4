package dev.kedge.cloud.hub.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.SocketAddress;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.kedge.core.Message;
import dev.kedge.core.MessageCodec;
import dev.kedge.core.Operations;

/** A node's queues while it is away, and versions it acked through another replica. */
class NodeAwayTest {
    private final ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1);

    @AfterEach
    void stop() {
        scheduler.shutdownNow();
    }

    /** Records what the pump writes. */
    private static final class Recording implements EdgeConnection {
        final List<String> frames = new CopyOnWriteArrayList<>();
        final long epoch;

        Recording(long epoch) {
            this.epoch = epoch;
        }

        @Override
        public void write(String text, Runnable onFailure) {
            frames.add(text);
        }

        @Override
        public void close(int code, String reason) {
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public SocketAddress remoteAddress() {
            return null;
        }

        @Override
        public Instant openedAt() {
            return Instant.now();
        }

        @Override
        public long epoch() {
            return epoch;
        }
    }

    private static Message configMap(String uid, String rv) {
        var content = MessageCodec.mapper().createObjectNode();
        content.putObject("metadata").put("uid", uid).put("name", "cm-" + uid).put("resourceVersion", rv);
        return Message.create("edgecontroller", "resource", Operations.UPDATE, "node/n1/default/configmap/cm-" + uid,
                content).withResourceVersion(rv);
    }

    @Test
    void aNodeNeverConnectedHereIsNotServedAndABrieflyAwayOneIs() throws Exception {
        Node node = new Node("n1", 10, scheduler, 5_000, 5, (n, m) -> false);
        assertFalse(node.servedHere(TimeUnit.SECONDS.toNanos(30)), "never connected here: another replica's");
        Recording c = new Recording(1);
        node.attach(c);
        assertTrue(node.servedHere(TimeUnit.SECONDS.toNanos(30)));
        node.detach(c);
        assertTrue(node.servedHere(TimeUnit.SECONDS.toNanos(30)), "briefly away: still queued here");
        node.enqueue(configMap("a", "5"), true);
        assertEquals(0, node.dropIfAway(TimeUnit.SECONDS.toNanos(30)), "within the grace: kept");
        Thread.sleep(5);
        assertFalse(node.servedHere(TimeUnit.MILLISECONDS.toNanos(1)));
        assertEquals(1, node.dropIfAway(TimeUnit.MILLISECONDS.toNanos(1)), "away too long: dropped");
        assertEquals(0, node.queues.ackQueueSize());
    }

    @Test
    void aQueuedVersionTheNodeAckedElsewhereIsNotWritten() throws Exception {
        // the ledger: uid "old" acked at 7 through another replica, "new" never
        Node node = new Node("n1", 10, scheduler, 5_000, 5, (n, m) -> NodeQueues.objectKey(m).equals("old"));
        node.enqueue(configMap("old", "5"), true);
        node.enqueue(configMap("new", "6"), true);
        Recording c = new Recording(1);
        node.attach(c);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (c.frames.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        Thread.sleep(100);
        assertEquals(1, c.frames.size(), "only the version not acked elsewhere: " + c.frames);
        assertTrue(c.frames.get(0).contains("cm-new"), c.frames.get(0));
    }

    @Test
    void anEdgeWithANewDatabaseGetsWhatTheLedgerSaysItHad() throws Exception {
        Node node = new Node("n1", 10, scheduler, 5_000, 5, (n, m) -> true); // the ledger: everything acked
        node.forgetAcked(); // EdgeController: the edge registered with a new database
        node.enqueue(configMap("old", "5"), true);
        Recording c = new Recording(1);
        node.attach(c);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (c.frames.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(1, c.frames.size(), "sent despite the old ObjectSyncs");
    }
}
