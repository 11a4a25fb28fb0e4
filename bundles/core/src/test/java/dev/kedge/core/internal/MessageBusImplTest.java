package dev.kedge.core.internal;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.kedge.core.BusException;
import dev.kedge.core.Message;
import dev.kedge.core.Module;
import dev.kedge.core.ModuleInfo;

/** The bus outside OSGi: DS would call the constructor, bindModule/unbindModule and deactivate exactly like this. */
@Timeout(value = 120, unit = SECONDS) // safety net; every wait below has its own, shorter bound
class MessageBusImplTest {
    private static final long WAIT_S = 10;

    private MessageBusImpl bus = new MessageBusImpl(TestBusConfig.defaults());
    private final BusWaits waits = new BusWaits(() -> bus);

    @AfterEach
    void stop() {
        bus.deactivate();
    }

    private static Map<String, Object> props(String name, String group) {
        return Map.of(Module.NAME, name, Module.GROUP, group);
    }

    /** The test's sequence number travels as the content. */
    private static Message msg(int seq) {
        return Message.create("test", "g", "update", "default/pod/p" + seq, seq);
    }

    /** A module that records what it gets. */
    private static final class Recorder implements Module {
        final List<Integer> got = new CopyOnWriteArrayList<>();
        final CountDownLatch done;

        Recorder(int expected) {
            done = new CountDownLatch(expected);
        }

        @Override
        public void receive(Message m) {
            got.add((Integer) m.content());
            done.countDown();
        }
    }

    private static List<Integer> range(int n) {
        return IntStream.range(0, n).boxed().toList();
    }

    @Test
    void deliversInOrder() throws Exception {
        Recorder r = new Recorder(5000);
        bus.bindModule(r, props("m", "g"));
        for (int i = 0; i < 5000; i++) {
            bus.send("m", msg(i));
        }
        waits.await(r.done);
        assertEquals(range(5000), r.got);
        BusWaits.eventually("counters", () -> waits.info("m").delivered() == 5000);
        assertEquals(new ModuleInfo("m", "g", "ACTIVE", 0, 1024, 5000, 0, 0), waits.info("m"));
    }

    @Test
    void messagesSentBeforeTheModuleBindsWaitForIt() throws Exception {
        for (int i = 0; i < 10; i++) {
            bus.send("late", msg(i));
        }
        assertEquals("WAITING", waits.info("late").state());
        assertEquals(0, waits.info("late").delivered());
        Recorder r = new Recorder(10);
        bus.bindModule(r, props("late", "g"));
        waits.await(r.done);
        assertEquals(range(10), r.got);
        assertEquals("ACTIVE", waits.info("late").state());
    }

    @Test
    void hotSwapLosesNothingAndKeepsOrder() throws Exception {
        int n = 20_000, pause = 3_000;
        List<Integer> got = new CopyOnWriteArrayList<>();
        CountDownLatch all = new CountDownLatch(n);
        CountDownLatch aHoldsPause = new CountDownLatch(1);
        CountDownLatch releaseA = new CountDownLatch(1);
        AtomicBoolean unbinding = new AtomicBoolean();
        AtomicInteger toAAfterUnbind = new AtomicInteger();
        AtomicInteger toA = new AtomicInteger();
        Module a = m -> {
            int seq = (Integer) m.content();
            if (unbinding.get() && seq != pause) {
                toAAfterUnbind.incrementAndGet();
            }
            toA.incrementAndGet();
            got.add(seq);
            all.countDown();
            if (seq == pause) { // hold a delivery open while the module is being unbound
                aHoldsPause.countDown();
                awaitQuietly(releaseA);
            }
        };
        Module b = m -> {
            got.add((Integer) m.content());
            all.countDown();
        };
        bus.bindModule(a, props("swap", "g"));
        CompletableFuture<Void> producer = CompletableFuture.runAsync(() -> {
            for (int i = 0; i < n; i++) {
                bus.send("swap", msg(i)); // blocks (bounded) while the mailbox is full
            }
        });
        waits.await(aHoldsPause);
        unbinding.set(true);
        CompletableFuture<Void> unbind = CompletableFuture.runAsync(() -> bus.unbindModule(a, props("swap", "g")));
        // unbind must wait for A to finish the message it is handling
        assertThrows(java.util.concurrent.TimeoutException.class, () -> unbind.get(200, TimeUnit.MILLISECONDS));
        releaseA.countDown();
        unbind.get(WAIT_S, SECONDS);
        assertEquals("WAITING", waits.info("swap").state());
        bus.bindModule(b, props("swap", "g"));
        waits.awaitWhileProgressing(all);
        producer.get(WAIT_S, SECONDS);
        assertEquals(0, toAAfterUnbind.get(), "A got messages after it was unbound");
        assertEquals(pause + 1, toA.get());
        assertEquals(range(n), new ArrayList<>(got));
        BusWaits.eventually("all delivered", () -> waits.info("swap").delivered() == n);
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(WAIT_S, SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void fullMailboxBlocksTheSenderThenFails() throws Exception {
        bus.deactivate();
        bus = new MessageBusImpl(new TestBusConfig(4, 300, 30_000, 5_000));
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        bus.bindModule(m -> {
            inside.countDown();
            awaitQuietly(release);
        }, props("slow", "g"));
        bus.send("slow", msg(0));
        waits.await(inside); // message 0 is being handled; the 4 next fill the mailbox
        for (int i = 1; i <= 4; i++) {
            bus.send("slow", msg(i));
        }
        long start = System.nanoTime();
        BusException e = assertThrows(BusException.class, () -> bus.send("slow", msg(5)));
        long waitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertEquals(BusException.Reason.MAILBOX_FULL, e.reason());
        assertTrue(e.getMessage().contains("slow"), e.getMessage());
        assertTrue(waitedMs >= 290 && waitedMs < 5_000, "waited " + waitedMs + " ms");
        ModuleInfo full = waits.info("slow");
        assertEquals(1, full.rejected());
        assertEquals(4, full.depth());
        release.countDown();
    }

    @Test
    void aFailingModuleIsCountedAndKeepsReceiving() throws Exception {
        CountDownLatch done = new CountDownLatch(3);
        List<Integer> got = new CopyOnWriteArrayList<>();
        bus.bindModule(m -> {
            int seq = (Integer) m.content();
            got.add(seq);
            done.countDown();
            if (seq == 0) {
                throw new IllegalStateException("boom (expected by the test)");
            }
        }, props("flaky", "g"));
        for (int i = 0; i < 3; i++) {
            bus.send("flaky", msg(i));
        }
        waits.await(done);
        assertEquals(List.of(0, 1, 2), got);
        BusWaits.eventually("2 delivered", () -> waits.info("flaky").delivered() == 2);
        assertEquals(1, waits.info("flaky").errors());
    }

    @Test
    void aModuleThrowingAnErrorDoesNotKillItsMailbox() throws Exception {
        CountDownLatch second = new CountDownLatch(1);
        bus.bindModule(m -> {
            if ((Integer) m.content() == 0) {
                throw new AssertionError("assert in module code (expected by the test)");
            }
            second.countDown();
        }, props("asserting", "g"));
        bus.send("asserting", msg(0));
        bus.send("asserting", msg(1));
        waits.await(second);
        BusWaits.eventually("the error counted", () -> waits.info("asserting").errors() == 1);
    }

    @Test
    void aModuleRestoringTheInterruptFlagDoesNotKillItsMailbox() throws Exception {
        CountDownLatch second = new CountDownLatch(1);
        bus.bindModule(m -> {
            if ((Integer) m.content() == 0) {
                Thread.currentThread().interrupt(); // the usual idiom after catching InterruptedException
            } else {
                second.countDown();
            }
        }, props("interrupted", "g"));
        bus.send("interrupted", msg(0));
        bus.send("interrupted", msg(1));
        waits.await(second);
    }

    @Test
    void aModuleStoppedForGoodNoLongerStallsItsSenders() throws Exception {
        bus.deactivate();
        // send timeout 2 s; a module unbound for more than 200 ms counts as stopped, not as being updated
        bus = new MessageBusImpl(new TestBusConfig(4, 2_000, 30_000, 5_000, 200));
        Recorder live = new Recorder(6);
        Module stopped = m -> { };
        bus.bindModule(live, props("meta", "g"));
        bus.bindModule(stopped, props("edged", "g"));
        bus.unbindModule(stopped, props("edged", "g"));
        for (int i = 0; i < 4; i++) { // fills edged's mailbox: nothing drains it without a module
            assertEquals(2, bus.sendToGroup("g", msg(i)), "within the grace both members take it (an update)");
        }
        BusWaits.eventually("edged detached", () -> waits.info("edged").state().equals("DETACHED"));
        long start = System.nanoTime();
        assertEquals(1, bus.sendToGroup("g", msg(4)), "the stopped module's full mailbox is passed by");
        assertEquals(1, bus.sendToGroup("g", msg(5)));
        BusException e = assertThrows(BusException.class, () -> bus.send("edged", msg(6)));
        long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertEquals(BusException.Reason.MAILBOX_FULL, e.reason());
        assertTrue(tookMs < 1_000, "senders waited " + tookMs + " ms for a stopped module");
        waits.await(live.done);
        assertEquals(range(6), live.got);
        ModuleInfo edged = waits.info("edged");
        assertEquals(4, edged.depth(), "what was queued stays for the module's return");
        assertEquals(3, edged.rejected());

        Recorder back = new Recorder(4);
        bus.bindModule(back, props("edged", "g"));
        waits.await(back.done);
        assertEquals(range(4), back.got);
        assertEquals("ACTIVE", waits.info("edged").state());
    }

    @Test
    void sendToGroupReachesEveryMemberOfTheGroupOnly() throws Exception {
        Recorder a = new Recorder(1), b = new Recorder(1), c = new Recorder(1), other = new Recorder(1);
        bus.bindModule(a, props("a", "meta"));
        bus.bindModule(b, props("b", "meta"));
        bus.bindModule(c, props("c", "meta"));
        bus.bindModule(other, props("o", "hub"));
        assertEquals(3, bus.sendToGroup("meta", msg(7)));
        for (Recorder r : List.of(a, b, c)) {
            waits.await(r.done);
            assertEquals(List.of(7), r.got);
        }
        assertEquals(0, bus.sendToGroup("nobody", msg(8)));
        assertEquals(List.of(), other.got);
        assertEquals(0, waits.info("o").delivered() + waits.info("o").depth());
    }

    @Test
    void sendSyncGetsTheResponse() throws Exception {
        List<Message> requests = new CopyOnWriteArrayList<>();
        CompletableFuture<Boolean> someoneWaited = new CompletableFuture<>();
        bus.bindModule(req -> {
            requests.add(req);
            someoneWaited.complete(bus.respond(Message.responseTo(req, "OK")));
        }, props("responder", "g"));
        Message request = msg(1);
        Message response = bus.sendSync("responder", request, Duration.ofSeconds(WAIT_S));
        assertEquals(request.id(), response.parentId());
        assertEquals("OK", response.content());
        assertEquals("response", response.operation());
        assertTrue(requests.get(0).header().sync(), "the request travels with sync=true");
        assertTrue(someoneWaited.get(WAIT_S, SECONDS)); // respond() returns after the waiter was woken
    }

    @Test
    void sendToGroupSyncGetsTheFirstResponse() {
        bus.bindModule(req -> bus.respond(Message.responseTo(req, "one")), props("r1", "rg"));
        Message response = bus.sendToGroupSync("rg", msg(1), Duration.ofSeconds(WAIT_S));
        assertEquals("one", response.content());
        BusException e = assertThrows(BusException.class,
                () -> bus.sendToGroupSync("empty", msg(2), Duration.ofSeconds(1)));
        assertEquals(BusException.Reason.UNROUTABLE, e.reason());
    }

    @Test
    void sendSyncTimesOut() {
        List<Message> requests = new CopyOnWriteArrayList<>();
        bus.bindModule(requests::add, props("mute", "g"));
        long start = System.nanoTime();
        BusException e = assertThrows(BusException.class,
                () -> bus.sendSync("mute", msg(1), Duration.ofMillis(300)));
        long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertEquals(BusException.Reason.TIMEOUT, e.reason());
        assertTrue(tookMs >= 290 && tookMs < 5_000, "took " + tookMs + " ms");
        // a late response finds nobody waiting
        assertFalse(bus.respond(Message.responseTo(requests.get(0), "late")));
    }

    @Test
    void respondWithNobodyWaiting() {
        assertFalse(bus.respond(Message.responseTo(msg(1), "OK")));
        assertEquals(1, bus.unmatchedResponses());
    }

    @Test
    void sendWithoutModuleNameIsUnroutable() {
        assertEquals(BusException.Reason.UNROUTABLE, assertThrows(BusException.class, () -> bus.send("", msg(1))).reason());
    }

    @Test
    void deactivateStopsThreadsAndWaiters() throws Exception {
        CountDownLatch gotRequest = new CountDownLatch(1);
        bus.bindModule(m -> gotRequest.countDown(), props("stop-a", "stop"));
        bus.send("stop-b", msg(0)); // a mailbox with no module: no thread drains it
        CompletableFuture<Message> waiter = CompletableFuture.supplyAsync(
                () -> bus.sendSync("stop-a", msg(1), Duration.ofSeconds(30)));
        waits.await(gotRequest);
        bus.deactivate();
        var failure = assertThrows(java.util.concurrent.ExecutionException.class, () -> waiter.get(WAIT_S, SECONDS));
        assertEquals(BusException.Reason.CLOSED, ((BusException) failure.getCause()).reason());
        assertEquals(0, bus.threads(), "the bus's pool ended with the bus");
        assertEquals(BusException.Reason.CLOSED, assertThrows(BusException.class, () -> bus.send("stop-a", msg(2))).reason());
        assertEquals(BusException.Reason.CLOSED,
                assertThrows(BusException.class, () -> bus.sendToGroup("stop", msg(3))).reason());
    }

    @Test
    void moduleWithoutNameIsIgnored() {
        bus.bindModule(m -> { }, Map.of(Module.GROUP, "g"));
        assertEquals(List.of(), bus.modules());
    }
}
