package dev.kedge.core;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Lanes: bounded executors on core's shared workers, a thread only while there is work. */
@Timeout(value = 60, unit = SECONDS)
class LaneTest {

    @Test
    void aTrickleOfTasksOnTwoLanesKeepsOneWorkerNotOnePerLane() throws Exception {
        // workers of its own, configured as the shared ones: other tests in this JVM may use those meanwhile
        ThreadPoolExecutor workers = DaemonThreads.workers("trickle-worker");
        Lane a = new Lane("trickle-a", 8, 16, workers);
        Lane b = new Lane("trickle-b", 1, 16, workers);
        Set<Thread> used = ConcurrentHashMap.newKeySet();
        try {
            for (int i = 0; i < 20; i++) {
                CountDownLatch ran = new CountDownLatch(1);
                (i % 2 == 0 ? a : b).execute(() -> {
                    used.add(Thread.currentThread());
                    ran.countDown();
                });
                assertTrue(ran.await(5, SECONDS));
                Thread.sleep(10); // the worker is back waiting for the next task
            }
            assertEquals(1, used.size(), "an idle worker takes the next task, whichever lane it is for");
            assertEquals(1, workers.getLargestPoolSize());
            assertEquals(1, a.largest());
            assertEquals(0, a.active() + b.active(), "no worker held while idle");
        } finally {
            a.shutdownNow();
            b.shutdownNow();
            workers.shutdownNow();
        }
    }

    @Test
    void busyTasksGrowToTheCapThenQueueThenAreRefused() throws Exception {
        Lane lane = DaemonThreads.onDemand("busy", 3, 2);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch started = new CountDownLatch(3);
        CountDownLatch all = new CountDownLatch(5);
        Runnable blocking = () -> {
            started.countDown();
            try {
                release.await(10, SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            all.countDown();
        };
        try {
            for (int i = 0; i < 5; i++) {
                lane.execute(blocking); // 3 run, 2 wait
            }
            assertTrue(started.await(5, SECONDS));
            assertEquals(3, lane.active());
            assertEquals(2, lane.queued());
            assertThrows(RejectedExecutionException.class, () -> lane.execute(blocking));
            release.countDown();
            assertTrue(all.await(5, SECONDS), "the queued tasks ran when threads came free");
            assertEquals(3, lane.largest());
        } finally {
            lane.shutdownNow();
        }
        assertThrows(RejectedExecutionException.class, () -> lane.execute(() -> { }));
    }

    @Test
    void aSerialLaneRunsInOrderOnADaemonNamedForIt() throws Exception {
        Lane lane = DaemonThreads.onDemand("serial", 1, 100);
        StringBuffer order = new StringBuffer();
        AtomicBoolean wrongThread = new AtomicBoolean();
        CountDownLatch done = new CountDownLatch(10);
        try {
            for (int i = 0; i < 10; i++) {
                int n = i;
                lane.execute(() -> {
                    Thread self = Thread.currentThread();
                    if (!self.isDaemon() || !self.getName().equals("kedge-serial") || lane.active() != 1) {
                        wrongThread.set(true);
                    }
                    order.append(n);
                    done.countDown();
                });
            }
            assertTrue(done.await(5, SECONDS));
            assertEquals("0123456789", order.toString());
            assertFalse(wrongThread.get(), "each task ran alone on a daemon named kedge-serial");
        } finally {
            lane.shutdownNow();
        }
    }

    @Test
    void aWaitForRoomSucceedsWhenRoomComesAndIsRefusedWhenItDoesNot() throws Exception {
        Lane lane = DaemonThreads.onDemand("room", 1, 1);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch ran = new CountDownLatch(2);
        try {
            lane.execute(() -> {
                running.countDown();
                await(release);
                ran.countDown();
            });
            assertTrue(running.await(5, SECONDS));
            lane.execute(ran::countDown); // fills the queue
            long start = System.nanoTime();
            assertThrows(RejectedExecutionException.class, () -> lane.execute(() -> { }, Duration.ofMillis(200)));
            assertTrue(System.nanoTime() - start >= 190_000_000L, "waited for room before refusing");
            CountDownLatch third = new CountDownLatch(1);
            new Thread(() -> {
                sleep(200);
                release.countDown();
            }).start();
            lane.execute(third::countDown, Duration.ofSeconds(10)); // room comes when the first task ends
            assertTrue(ran.await(5, SECONDS));
            assertTrue(third.await(5, SECONDS));
        } finally {
            lane.shutdownNow();
        }
    }

    @Test
    void shutdownRunsWhatIsQueuedAndShutdownNowInterruptsAndReturnsIt() throws Exception {
        Lane graceful = DaemonThreads.onDemand("graceful", 1, 10);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch ran = new CountDownLatch(4);
        graceful.execute(() -> {
            await(release);
            ran.countDown();
        });
        for (int i = 0; i < 3; i++) {
            graceful.execute(ran::countDown);
        }
        graceful.shutdown();
        assertThrows(RejectedExecutionException.class, () -> graceful.execute(() -> { }));
        assertFalse(graceful.awaitTermination(50, java.util.concurrent.TimeUnit.MILLISECONDS));
        release.countDown();
        assertTrue(graceful.awaitTermination(5, SECONDS));
        assertTrue(ran.await(0, SECONDS), "queued tasks ran after shutdown");
        assertTrue(graceful.isTerminated());

        Lane now = DaemonThreads.onDemand("now", 1, 10);
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch interrupted = new CountDownLatch(1);
        now.execute(() -> {
            running.countDown();
            try {
                Thread.sleep(30_000);
            } catch (InterruptedException e) {
                interrupted.countDown();
            }
        });
        Runnable queued = () -> { };
        now.execute(queued);
        assertTrue(running.await(5, SECONDS));
        List<Runnable> left = now.shutdownNow();
        assertEquals(List.of(queued), left);
        assertTrue(interrupted.await(5, SECONDS), "the running task was interrupted");
        assertTrue(now.awaitTermination(5, SECONDS));

        // the worker that was interrupted serves the next lane without the interrupt
        Lane next = DaemonThreads.onDemand("after-interrupt", 1, 10);
        AtomicBoolean sawInterrupt = new AtomicBoolean(true);
        CountDownLatch checked = new CountDownLatch(1);
        next.execute(() -> {
            sawInterrupt.set(Thread.currentThread().isInterrupted());
            checked.countDown();
        });
        assertTrue(checked.await(5, SECONDS));
        assertFalse(sawInterrupt.get());
        next.shutdown();
    }

    @Test
    void aTaskThatThrowsDoesNotStopTheLane() throws Exception {
        Lane lane = DaemonThreads.onDemand("throws", 1, 10);
        CountDownLatch after = new CountDownLatch(1);
        lane.execute(() -> {
            throw new IllegalStateException("expected by the test");
        });
        lane.execute(after::countDown);
        assertTrue(after.await(5, SECONDS));
        lane.shutdown();
        assertTrue(lane.awaitTermination(5, SECONDS));
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
