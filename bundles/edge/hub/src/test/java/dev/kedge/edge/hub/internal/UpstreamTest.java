package dev.kedge.edge.hub.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;

import dev.kedge.core.Message;
import dev.kedge.core.Operations;
import dev.kedge.core.testing.RecordingBus;

class UpstreamTest {
    private final RecordingBus bus = new RecordingBus().populatedGroups(Set.of());
    private final HubCounters counters = new HubCounters();
    private final Outbox outbox = new Outbox(2);
    private final AtomicBoolean connected = new AtomicBoolean(true);
    private final Upstream upstream = new Upstream(bus, outbox, counters, connected::get, Duration.ofMillis(100));

    @Test
    void queuesInOrderWhileThereIsRoom() throws InterruptedException {
        connected.set(false);
        Message a = msg(false);
        Message b = msg(false);
        upstream.accept(a);
        upstream.accept(b);
        assertEquals(2, outbox.size());
        assertEquals(a, outbox.poll(0));
        assertEquals(b, outbox.poll(0));
        assertEquals(0, counters.upstreamRejected.sum());
    }

    @Test
    void fullOutboxWaitsBoundedThenRefusesWithACounter() {
        connected.set(false);
        upstream.accept(msg(false));
        upstream.accept(msg(false));
        long start = System.nanoTime();
        upstream.accept(msg(false));
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertTrue(ms >= 90 && ms < 5000, "waited " + ms + " ms");
        assertEquals(1, counters.upstreamRejected.sum());
        assertEquals(2, outbox.size());
        assertEquals(0, bus.calls().size(), "a plain message gets no error response");
    }

    @Test
    void fullOutboxAnswersASyncRequestWithAnError() {
        upstream.accept(msg(false));
        upstream.accept(msg(false));
        Message sync = msg(true);
        upstream.accept(sync);
        assertErrorResponse(sync);
    }

    @Test
    void syncRequestWhileDisconnectedIsAnsweredAtOnce() {
        connected.set(false);
        Message sync = msg(true);
        long start = System.nanoTime();
        upstream.accept(sync);
        assertTrue(System.nanoTime() - start < 50_000_000L, "no waiting");
        assertEquals(0, outbox.size());
        assertErrorResponse(sync);
        assertTrue(bus.calls().get(0).message().contentAsString().contains(Upstream.NOT_CONNECTED));
    }

    @Test
    void queuedSyncRequestsFailWhenTheLinkIsLost() throws InterruptedException {
        Message plain = msg(false);
        Message sync = msg(true);
        upstream.accept(sync);
        upstream.accept(plain);
        upstream.failQueuedSyncRequests();
        assertErrorResponse(sync);
        assertEquals(plain, outbox.poll(0), "plain messages wait for the next connection");
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
