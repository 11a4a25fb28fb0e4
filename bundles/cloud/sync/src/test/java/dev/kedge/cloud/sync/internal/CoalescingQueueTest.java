package dev.kedge.cloud.sync.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import dev.kedge.cloud.sync.internal.CoalescingQueue.Offer;
import dev.kedge.cloud.sync.internal.SyncWrite.Op;

/** One entry per ObjectSync; the latest version wins; removals win; bounded. */
class CoalescingQueueTest {

    private static SyncWrite record(String name, String rv) {
        return new SyncWrite(Op.RECORD, "default", name, "v1", "ConfigMap", "cm", rv, 0);
    }

    private static SyncWrite forget(String name) {
        return new SyncWrite(Op.FORGET, "default", name, "", "", "cm", "", 0);
    }

    private static CoalescingQueue<SyncWrite> queue(int capacity) {
        return new CoalescingQueue<>(capacity, SyncWrite::key, SyncWrite::merge);
    }

    @Test
    void thousandAcksForTenObjectsAreTenWritesWithTheLatestVersions() throws InterruptedException {
        CoalescingQueue<SyncWrite> q = queue(100);
        int coalesced = 0;
        for (int rv = 1; rv <= 1000; rv++) {
            if (q.offer(record("n.u" + (rv % 10), Integer.toString(rv)), 0) == Offer.COALESCED) {
                coalesced++;
            }
        }
        assertEquals(990, coalesced);
        assertEquals(10, q.size());
        for (int i = 0; i < 10; i++) {
            SyncWrite w = q.poll(0);
            int expected = 990 + (i + 1) % 10 + ((i + 1) % 10 == 0 ? 10 : 0);
            assertEquals(Integer.toString(expected), w.resourceVersion(), "first come first served, latest RV kept");
        }
        assertNull(q.poll(0));
    }

    @Test
    void anOlderVersionNeverReplacesANewerOne() throws InterruptedException {
        CoalescingQueue<SyncWrite> q = queue(10);
        q.offer(record("n.u", "20"), 0);
        q.offer(record("n.u", "9"), 0);
        assertEquals("20", q.poll(0).resourceVersion());
    }

    @Test
    void removalWinsBothWays() throws InterruptedException {
        CoalescingQueue<SyncWrite> q = queue(10);
        q.offer(record("n.a", "5"), 0);
        q.offer(forget("n.a"), 0);
        q.offer(forget("n.b"), 0);
        q.offer(record("n.b", "7"), 0);
        assertEquals(Op.FORGET, q.poll(0).op());
        assertEquals(Op.FORGET, q.poll(0).op());
    }

    @Test
    void fullQueueRefusesNewKeysButStillCoalesces() throws InterruptedException {
        CoalescingQueue<SyncWrite> q = queue(2);
        q.offer(record("n.a", "1"), 0);
        q.offer(record("n.b", "1"), 0);
        assertEquals(Offer.FULL, q.offer(record("n.c", "1"), 10));
        assertEquals(Offer.COALESCED, q.offer(record("n.a", "2"), 0));
    }

    @Test
    void aWaitingOfferGetsInWhenTheWriterTakesOne() throws Exception {
        CoalescingQueue<SyncWrite> q = queue(1);
        q.offer(record("n.a", "1"), 0);
        CompletableFuture<Offer> waiting = CompletableFuture.supplyAsync(() -> {
            try {
                return q.offer(record("n.b", "1"), 5_000);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(50);
        assertEquals("n.a", q.poll(0).name());
        assertEquals(Offer.QUEUED, waiting.get(5, TimeUnit.SECONDS));
        assertEquals("n.b", q.poll(1_000).name());
    }

    @Test
    void pollTimesOutOnAnEmptyQueue() throws InterruptedException {
        long t0 = System.nanoTime();
        assertNull(queue(1).poll(50));
        assertTrue(System.nanoTime() - t0 >= TimeUnit.MILLISECONDS.toNanos(45));
    }
}
