package dev.kedge.edge.hub.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;

import dev.kedge.core.BusException;
import dev.kedge.core.Inbox;
import dev.kedge.core.Message;
import dev.kedge.core.ModuleNames;
import dev.kedge.core.Operations;
import dev.kedge.core.testing.RecordingBus;

/** Upstream messages wait in EdgeHub's own mailbox (bound 2 here, send timeout 100 ms), with Upstream as its gate. */
class UpstreamTest {
    private final RecordingBus bus = new RecordingBus().populatedGroups(Set.of())
            .inboxSendTimeout(Duration.ofMillis(100));
    private final HubCounters counters = new HubCounters();
    private final AtomicBoolean connected = new AtomicBoolean(true);
    private final Upstream upstream = new Upstream(bus, counters, connected::get);
    private final Inbox outbox = bus.openInbox(ModuleNames.EDGEHUB, ModuleNames.GROUP_HUB, 2, upstream::admit);

    @Test
    void queuesInOrderWhileThereIsRoom() throws InterruptedException {
        connected.set(false);
        Message a = msg(false);
        Message b = msg(false);
        accept(a);
        accept(b);
        assertEquals(2, outbox.info().depth());
        assertEquals(a, poll());
        assertEquals(b, poll());
        assertEquals(0, counters.upstreamRejected.sum());
    }

    @Test
    void fullOutboxWaitsBoundedThenRefusesWithACounter() {
        connected.set(false);
        accept(msg(false));
        accept(msg(false));
        long start = System.nanoTime();
        BusException full = assertThrows(BusException.class, () -> accept(msg(false)));
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertEquals(BusException.Reason.MAILBOX_FULL, full.reason(), "the sender is told");
        assertTrue(ms >= 90 && ms < 5000, "waited " + ms + " ms");
        assertEquals(1, outbox.info().rejected());
        assertEquals(2, outbox.info().depth());
        assertEquals(0, bus.calls(RecordingBus.RESPOND).size(), "a plain message gets no error response");
    }

    @Test
    void fullOutboxAnswersASyncRequestWithAnError() {
        accept(msg(false));
        accept(msg(false));
        Message sync = msg(true);
        BusException full = assertThrows(BusException.class, () -> accept(sync));
        assertEquals(BusException.Reason.MAILBOX_FULL, full.reason(), "the caller of sendSync gets the error");
        assertEquals(1, outbox.info().rejected());
    }

    @Test
    void syncRequestWhileDisconnectedIsAnsweredAtOnce() {
        connected.set(false);
        Message sync = msg(true);
        long start = System.nanoTime();
        accept(sync);
        assertTrue(System.nanoTime() - start < 50_000_000L, "no waiting");
        assertEquals(0, outbox.info().depth());
        assertErrorResponse(sync);
        assertTrue(bus.calls(RecordingBus.RESPOND).get(0).message().contentAsString().contains(Upstream.NOT_CONNECTED));
    }

    @Test
    void syncRequestWhileConnectedIsQueued() throws InterruptedException {
        Message sync = msg(true);
        accept(sync);
        assertEquals(sync, poll());
        assertEquals(0, bus.calls(RecordingBus.RESPOND).size());
    }

    @Test
    void queuedSyncRequestsFailWhenTheLinkIsLost() throws InterruptedException {
        Message plain = msg(false);
        Message sync = msg(true);
        accept(sync);
        accept(plain);
        upstream.failQueuedSyncRequests(outbox);
        assertErrorResponse(sync);
        assertEquals(plain, poll(), "plain messages wait for the next connection");
    }

    /** What a module does: send to EdgeHub. */
    private void accept(Message m) {
        bus.send(ModuleNames.EDGEHUB, m);
    }

    private Message poll() throws InterruptedException {
        return outbox.poll(Duration.ZERO, () -> false);
    }

    private void assertErrorResponse(Message request) {
        assertEquals(1, bus.calls("respond").size(), bus.describe());
        Message r = bus.calls("respond").get(0).message();
        assertEquals(request.id(), r.parentId());
        assertEquals(Operations.ERROR, r.operation());
        assertEquals(1, counters.upstreamRejected.sum());
    }

    private static Message msg(boolean sync) {
        return Message.create("metamanager", "meta", "query", "default/configmap/cm1", null).withSync(sync);
    }
}
