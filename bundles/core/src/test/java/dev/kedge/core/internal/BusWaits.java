package dev.kedge.core.internal;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import dev.kedge.core.ModuleInfo;

/** Bounded waits on a test's bus, with the mailboxes and drain threads in every failure message. */
final class BusWaits {
    static final long WAIT_S = 10;

    private final Supplier<MessageBusImpl> bus;

    /** A supplier: a test may replace its bus. */
    BusWaits(Supplier<MessageBusImpl> bus) {
        this.bus = bus;
    }

    void await(CountDownLatch latch) throws InterruptedException {
        assertTrue(latch.await(WAIT_S, SECONDS), () -> "timed out; " + latch.getCount() + " still expected; "
                + bus.get().modules() + ", bus threads " + bus.get().threads());
    }

    /**
     * For the long runs: a loaded machine may be slow, which is no failure; a stall is. Fails when a whole
     * {@code WAIT_S} passes without one more delivery (a mailbox with messages and a module but no drain).
     */
    void awaitWhileProgressing(CountDownLatch latch) throws InterruptedException {
        long before = latch.getCount();
        while (!latch.await(WAIT_S, SECONDS)) {
            long now = latch.getCount();
            long last = before;
            assertTrue(now < last, () -> "stalled: " + now + " still expected and none delivered for " + WAIT_S
                    + " s; " + bus.get().modules() + ", bus threads " + bus.get().threads());
            before = now;
        }
    }

    /** Counters are bumped after receive() returns, so a test that just saw the message polls for them (bounded). */
    static void eventually(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + SECONDS.toNanos(WAIT_S);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "timed out waiting for " + what);
            Thread.sleep(1);
        }
    }

    ModuleInfo info(String name) {
        return bus.get().modules().stream().filter(i -> i.name().equals(name)).findFirst().orElseThrow();
    }
}
