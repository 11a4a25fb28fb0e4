package dev.kedge.core.internal;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
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

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.kedge.core.BusException;
import dev.kedge.core.Inbox;
import dev.kedge.core.Message;
import dev.kedge.core.Module;
import dev.kedge.core.ModuleInfo;

/** The pull path: a module that takes its messages from its mailbox through an {@link Inbox}. */
@Timeout(value = 60, unit = SECONDS)
class InboxTest {
    private static final Duration NO_WAIT = Duration.ZERO;
    private static final Duration WAIT = Duration.ofSeconds(10);

    private MessageBusImpl bus = new MessageBusImpl(TestBusConfig.defaults());
    private final BusWaits waits = new BusWaits(() -> bus);

    @AfterEach
    void stop() {
        bus.deactivate();
    }

    private static Message msg(int seq) {
        return Message.create("test", "g", "update", "default/pod/p" + seq, seq);
    }

    private static Message poll(Inbox inbox) throws InterruptedException {
        return inbox.poll(NO_WAIT, () -> false);
    }

    @Test
    void takesInOrderWhatWasQueuedBeforeAndAfterItOpened() throws Exception {
        bus.send("puller", msg(0));
        Inbox inbox = bus.openInbox("puller", "hub", 16, null);
        bus.send("puller", msg(1));
        bus.send("puller", msg(2));
        for (int i = 0; i < 3; i++) {
            assertEquals(i, poll(inbox).content());
        }
        assertNull(poll(inbox));
        ModuleInfo info = inbox.info();
        assertEquals("ACTIVE", info.state());
        assertEquals("hub", info.group());
        assertEquals(3, info.delivered());
        assertEquals(0, info.depth());
    }

    @Test
    void aPollWaitsForTheNextMessage() throws Exception {
        Inbox inbox = bus.openInbox("puller", "hub", 16, null);
        CompletableFuture<Message> taken = CompletableFuture.supplyAsync(() -> {
            try {
                return inbox.poll(WAIT, () -> false);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        Message m = msg(7);
        bus.send("puller", m);
        assertSame(m, taken.get(WAIT.toSeconds(), SECONDS));
    }

    @Test
    void aMessagePutBackIsTakenNextWhateverTheBound() throws Exception {
        Inbox inbox = bus.openInbox("puller", "hub", 2, null);
        bus.send("puller", msg(0));
        bus.send("puller", msg(1));
        Message first = poll(inbox);
        bus.send("puller", msg(2)); // the mailbox is full again
        inbox.putBack(first);
        assertEquals(3, inbox.info().depth(), "a message put back may exceed the bound");
        assertEquals(List.of(0, 1, 2), drain(inbox));
        assertEquals(3, inbox.info().delivered(), "a message put back and taken again counts once");
    }

    @Test
    void removesQueuedMessagesByFilterAndKeepsTheRestInOrder() throws Exception {
        Inbox inbox = bus.openInbox("puller", "hub", 16, null);
        for (int i = 0; i < 6; i++) {
            bus.send("puller", msg(i));
        }
        List<Message> odd = inbox.removeIf(m -> (Integer) m.content() % 2 == 1);
        assertEquals(List.of(1, 3, 5), odd.stream().map(Message::content).toList());
        assertEquals(List.of(0, 2, 4), drain(inbox));
    }

    @Test
    void aWakeEndsAWaitingPollWhoseStopConditionHolds() throws Exception {
        Inbox inbox = bus.openInbox("puller", "hub", 16, null);
        AtomicBoolean stop = new AtomicBoolean();
        CompletableFuture<Message> polling = waitingPoll(inbox, stop);
        stop.set(true);
        inbox.wake();
        assertNull(polling.get(WAIT.toSeconds(), SECONDS), "the poll ended on the wake, not after its 30 s");
    }

    @Test
    void aFullMailboxMakesTheSenderWaitTheSendTimeoutThenFailsLoudly() throws Exception {
        bus.deactivate();
        bus = new MessageBusImpl(new TestBusConfig(1024, 300, 30_000, 5_000));
        Inbox inbox = bus.openInbox("puller", "hub", 2, null);
        bus.send("puller", msg(0));
        bus.send("puller", msg(1));
        long start = System.nanoTime();
        BusException e = assertThrows(BusException.class, () -> bus.send("puller", msg(2)));
        long waitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertEquals(BusException.Reason.MAILBOX_FULL, e.reason());
        assertTrue(waitedMs >= 290 && waitedMs < 5_000, "waited " + waitedMs + " ms");
        ModuleInfo info = inbox.info();
        assertEquals(1, info.rejected());
        assertEquals(2, info.capacity(), "the inbox's bound, not the bus's 1024");
        assertEquals(List.of(0, 1), drain(inbox));
    }

    @Test
    void aSenderWaitingOnAFullMailboxGetsInWhenTheModuleTakesOne() throws Exception {
        Inbox inbox = bus.openInbox("puller", "hub", 1, null);
        bus.send("puller", msg(0));
        CompletableFuture<Void> sender = CompletableFuture.runAsync(() -> bus.send("puller", msg(1)));
        assertEquals(0, inbox.poll(WAIT, () -> false).content());
        sender.get(WAIT.toSeconds(), SECONDS);
        assertEquals(1, inbox.poll(WAIT, () -> false).content());
    }

    @Test
    void messagesSurviveTheModulesRebindAsTheMailboxsDo() throws Exception {
        Inbox first = bus.openInbox("puller", "hub", 16, null);
        bus.send("puller", msg(0));
        bus.send("puller", msg(1));
        Message taken = poll(first);
        first.putBack(taken); // taken by the old instance, not handled
        first.close();
        assertEquals("WAITING", waits.info("puller").state(), "senders wait as for a module being updated");
        bus.send("puller", msg(2)); // while the module is being updated
        assertThrows(BusException.class, () -> poll(first), "a closed inbox says so");

        Inbox second = bus.openInbox("puller", "hub", 16, null);
        assertEquals(List.of(0, 1, 2), drain(second));
        assertEquals("ACTIVE", second.info().state());
    }

    @Test
    void closingEndsAWaitingPoll() throws Exception {
        Inbox inbox = bus.openInbox("puller", "hub", 16, null);
        CompletableFuture<Message> polling = waitingPoll(inbox, new AtomicBoolean());
        inbox.close();
        Exception e = assertThrows(Exception.class, () -> polling.get(WAIT.toSeconds(), SECONDS));
        assertTrue(e.getCause() instanceof BusException b && b.reason() == BusException.Reason.CLOSED, e.toString());
    }

    @Test
    void theGateDealsWithAMessageOnTheSendersThreadInsteadOfQueueingIt() throws Exception {
        List<Message> refused = new CopyOnWriteArrayList<>();
        Inbox inbox = bus.openInbox("puller", "hub", 16, m -> {
            if (m.header().sync()) {
                refused.add(m);
                return false;
            }
            return true;
        });
        Message sync = msg(0).withSync(true);
        bus.send("puller", sync);
        bus.send("puller", msg(1));
        assertEquals(List.of(sync), refused);
        assertEquals(List.of(1), drain(inbox));
    }

    @Test
    void aGateThatThrowsLosesNothing() throws Exception {
        Inbox inbox = bus.openInbox("puller", "hub", 16, m -> {
            throw new IllegalStateException("broken gate");
        });
        bus.send("puller", msg(0));
        assertEquals(List.of(0), drain(inbox));
        assertEquals(1, inbox.info().errors());
    }

    @Test
    void aGroupSendReachesAnInbox() throws Exception {
        Inbox inbox = bus.openInbox("puller", "hub", 16, null);
        assertEquals(1, bus.sendToGroup("hub", msg(0)));
        assertEquals(List.of(0), drain(inbox));
    }

    @Test
    void oneConsumerPerMailbox() {
        Inbox inbox = bus.openInbox("puller", "hub", 16, null);
        assertThrows(IllegalStateException.class, () -> bus.openInbox("puller", "hub", 16, null));
        List<Message> pushed = new ArrayList<>();
        Module module = pushed::add;
        bus.bindModule(module, Map.of(Module.NAME, "pusher", Module.GROUP, "g"));
        assertThrows(IllegalStateException.class, () -> bus.openInbox("pusher", "g", 16, null));
        inbox.close();
        bus.openInbox("puller", "hub", 16, null); // free again
    }

    @Test
    void aModuleServiceUnderAnInboxsNameGetsNothing() throws Exception {
        Inbox inbox = bus.openInbox("puller", "hub", 16, null);
        List<Message> pushed = new CopyOnWriteArrayList<>();
        Module module = pushed::add;
        bus.bindModule(module, Map.of(Module.NAME, "puller", Module.GROUP, "hub"));
        bus.send("puller", msg(0));
        assertEquals(List.of(0), drain(inbox));
        assertTrue(pushed.isEmpty());
    }

    @Test
    void aMessageTakenForAModuleThatWentAwayIsTheInboxsFirst() throws Exception {
        // a push module busy with message 0 goes away (e.g. its bundle is updated to one that takes its messages)
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<Message> pushed = new CopyOnWriteArrayList<>();
        Module module = m -> {
            pushed.add(m);
            inside.countDown();
            try {
                release.await(WAIT.toSeconds(), SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        Map<String, Object> props = Map.of(Module.NAME, "switching", Module.GROUP, "hub");
        bus.bindModule(module, props);
        for (int i = 0; i < 50; i++) {
            bus.send("switching", msg(i));
        }
        waits.await(inside);
        CompletableFuture<Void> unbinding = CompletableFuture.runAsync(() -> bus.unbindModule(module, props));
        BusWaits.eventually("module unbound", () -> !"ACTIVE".equals(waits.info("switching").state()));
        release.countDown(); // the drain task now takes message 1 for a module that is gone
        unbinding.get(WAIT.toSeconds(), SECONDS);

        Inbox inbox = bus.openInbox("switching", "hub", 1024, null);
        List<Integer> got = new ArrayList<>();
        while (got.size() < 49) {
            Message m = inbox.poll(WAIT, () -> false);
            assertTrue(m != null, "missing messages after " + got);
            got.add((Integer) m.content());
        }
        assertEquals(java.util.stream.IntStream.range(1, 50).boxed().toList(), got);
        assertEquals(1, pushed.size());
    }

    @Test
    void theBusStoppingEndsAWaitingPoll() throws Exception {
        Inbox inbox = bus.openInbox("puller", "hub", 16, null);
        CompletableFuture<Message> polling = waitingPoll(inbox, new AtomicBoolean());
        bus.deactivate();
        Exception e = assertThrows(Exception.class, () -> polling.get(WAIT.toSeconds(), SECONDS));
        assertTrue(e.getCause() instanceof BusException b && b.reason() == BusException.Reason.CLOSED, e.toString());
        bus = new MessageBusImpl(TestBusConfig.defaults()); // for stop()
    }

    /** A poll of up to 30 s on a thread of its own, returned once that thread waits in it. */
    private static CompletableFuture<Message> waitingPoll(Inbox inbox, AtomicBoolean stop)
            throws InterruptedException {
        CompletableFuture<Message> result = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                result.complete(inbox.poll(Duration.ofSeconds(30), stop::get));
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        }, "test-poll");
        t.setDaemon(true);
        t.start();
        BusWaits.eventually("the poll waits", () -> t.getState() == Thread.State.TIMED_WAITING);
        return result;
    }

    private static List<Integer> drain(Inbox inbox) throws InterruptedException {
        List<Integer> got = new ArrayList<>();
        for (Message m = poll(inbox); m != null; m = poll(inbox)) {
            got.add((Integer) m.content());
        }
        return got;
    }
}
