package dev.kedge.edge.edged.internal;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.kedge.core.testing.TestScheduler;

/** The agent's lane: one task at a time, in order, timers from the shared scheduler that never pile up. */
@Timeout(value = 30, unit = SECONDS)
class ExecutorTimerTest {
    private final TestScheduler scheduler = new TestScheduler();
    private final ExecutorTimer timer = new ExecutorTimer(scheduler);

    @AfterEach
    void stop() throws InterruptedException {
        timer.stop(Duration.ofSeconds(5));
        scheduler.stop();
    }

    @Test
    void tasksRunOneAtATimeInOrder() throws Exception {
        List<Integer> order = new CopyOnWriteArrayList<>();
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger overlaps = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(200);
        for (int i = 0; i < 200; i++) {
            int n = i;
            timer.execute(() -> {
                if (inside.incrementAndGet() > 1) {
                    overlaps.incrementAndGet();
                }
                order.add(n);
                inside.decrementAndGet();
                done.countDown();
            });
        }
        assertTrue(done.await(10, SECONDS));
        assertEquals(0, overlaps.get());
        assertEquals(IntStream.range(0, 200).boxed().toList(), order);
    }

    @Test
    void aPeriodicTaskSlowerThanItsPeriodSkipsTurnsInsteadOfQueueing() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        Set<String> threads = ConcurrentHashMap.newKeySet();
        CountDownLatch three = new CountDownLatch(3);
        timer.every(() -> {
            runs.incrementAndGet();
            threads.add(Thread.currentThread().getName());
            sleep(100); // 10 periods of 10 ms
            three.countDown();
        }, Duration.ofMillis(10));
        assertTrue(three.await(10, SECONDS));
        timer.stop(Duration.ofSeconds(5));
        int atStop = runs.get();
        assertTrue(atStop >= 3 && atStop <= 5, "one run per ~100 ms, not one per period: " + atStop);
        assertTrue(threads.stream().allMatch(n -> n.equals("kedge-edged")), threads.toString());
        Thread.sleep(100);
        assertEquals(atStop, runs.get(), "stopped timers do not run");
    }

    @Test
    void aFailingTaskDoesNotStopTheLaneAndStopRefusesNewTasks() throws Exception {
        CountDownLatch after = new CountDownLatch(1);
        timer.execute(() -> {
            throw new IllegalStateException("expected by the test");
        });
        timer.schedule(after::countDown, Duration.ofMillis(20));
        assertTrue(after.await(10, SECONDS));
        assertTrue(timer.stop(Duration.ofSeconds(5)));
        assertThrows(RejectedExecutionException.class, () -> timer.execute(() -> { }));
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
