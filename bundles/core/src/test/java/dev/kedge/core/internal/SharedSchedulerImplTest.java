package dev.kedge.core.internal;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** One timer thread fires; the tasks run on the shared workers, so a slow one holds up no other timer. */
@Timeout(value = 60, unit = SECONDS)
class SharedSchedulerImplTest {
    private final SharedSchedulerImpl scheduler = new SharedSchedulerImpl();

    @AfterEach
    void stop() {
        scheduler.stop();
    }

    @Test
    void aFixedDelayCountsFromTheEndOfARunAndRunsNeverOverlap() throws Exception {
        List<Long> starts = new CopyOnWriteArrayList<>();
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger overlaps = new AtomicInteger();
        CountDownLatch five = new CountDownLatch(5);
        ScheduledFuture<?> f = scheduler.scheduleWithFixedDelay("slow", () -> {
            if (inside.incrementAndGet() > 1) {
                overlaps.incrementAndGet();
            }
            starts.add(System.nanoTime());
            sleep(50);
            inside.decrementAndGet();
            five.countDown();
        }, Duration.ZERO, Duration.ofMillis(20));
        assertTrue(five.await(10, SECONDS));
        f.cancel(false);
        assertEquals(0, overlaps.get());
        for (int i = 1; i < 5; i++) {
            long gapMs = (starts.get(i) - starts.get(i - 1)) / 1_000_000;
            assertTrue(gapMs >= 68, "run " + i + " started " + gapMs + " ms after the one before: 50 ms run + 20 ms");
        }
    }

    @Test
    void aSlowTaskDoesNotHoldUpAnotherTimer() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch blocking = new CountDownLatch(1);
        scheduler.schedule("blocks", () -> {
            blocking.countDown();
            await(release);
        }, Duration.ZERO);
        assertTrue(blocking.await(5, SECONDS));
        CountDownLatch fired = new CountDownLatch(3);
        List<String> names = new CopyOnWriteArrayList<>();
        ScheduledFuture<?> f = scheduler.scheduleWithFixedDelay("beat", () -> {
            names.add(Thread.currentThread().getName());
            fired.countDown();
        }, Duration.ofMillis(10), Duration.ofMillis(10));
        scheduler.executor().execute(() -> names.add(Thread.currentThread().getName()));
        try {
            assertTrue(fired.await(5, SECONDS), "a timer fires while another task blocks");
        } finally {
            release.countDown();
            f.cancel(false);
        }
        assertTrue(names.stream().allMatch("kedge-shared"::equals), names.toString());
    }

    @Test
    void cancelStopsRunsAlsoFromInsideTheTask() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        ScheduledFuture<?>[] self = new ScheduledFuture<?>[1];
        CountDownLatch third = new CountDownLatch(1);
        synchronized (self) {
            self[0] = scheduler.scheduleWithFixedDelay("cancels itself", () -> {
                if (runs.incrementAndGet() == 3) {
                    synchronized (self) {
                        self[0].cancel(false);
                    }
                    third.countDown();
                }
            }, Duration.ZERO, Duration.ofMillis(5));
        }
        assertTrue(third.await(5, SECONDS));
        Thread.sleep(100);
        assertEquals(3, runs.get(), "no run after cancel");
        assertTrue(self[0].isCancelled() && self[0].isDone());
        assertFalse(self[0].cancel(false), "cancelled once");

        AtomicInteger later = new AtomicInteger();
        ScheduledFuture<?> once = scheduler.schedule("never", later::incrementAndGet, Duration.ofMillis(200));
        once.cancel(false);
        Thread.sleep(300);
        assertEquals(0, later.get(), "a cancelled one-shot does not run");
    }

    @Test
    void aPeriodicTaskThatThrowsKeepsItsScheduleAndStopEndsAll() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        CountDownLatch three = new CountDownLatch(3);
        scheduler.scheduleWithFixedDelay("throws", () -> {
            runs.incrementAndGet();
            three.countDown();
            throw new IllegalStateException("expected by the test");
        }, Duration.ZERO, Duration.ofMillis(5));
        assertTrue(three.await(5, SECONDS), "runs go on after a failure");
        scheduler.stop();
        Thread.sleep(50);
        int atStop = runs.get();
        Thread.sleep(100);
        assertEquals(atStop, runs.get(), "nothing runs after stop");
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
