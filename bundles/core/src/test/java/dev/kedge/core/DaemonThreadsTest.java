package dev.kedge.core;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** onDemand pools: threads only for work, reused before new ones start, bounded in threads and queue. */
@Timeout(value = 60, unit = SECONDS)
class DaemonThreadsTest {

    @Test
    void aTrickleOfTasksKeepsOneThreadNotAll() throws Exception {
        ThreadPoolExecutor pool = DaemonThreads.onDemand("trickle", 8, 16);
        try {
            for (int i = 0; i < 20; i++) {
                CountDownLatch ran = new CountDownLatch(1);
                pool.execute(ran::countDown);
                assertTrue(ran.await(5, SECONDS));
                Thread.sleep(5); // the worker is back waiting for the next task
            }
            assertEquals(1, pool.getPoolSize(), "an idle thread takes the next task");
            assertEquals(1, pool.getLargestPoolSize());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void busyThreadsGrowToTheCapThenTasksQueueThenTheyAreRefused() throws Exception {
        ThreadPoolExecutor pool = DaemonThreads.onDemand("busy", 3, 2);
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
                pool.execute(blocking); // 3 run, 2 wait
            }
            assertTrue(started.await(5, SECONDS));
            assertEquals(3, pool.getPoolSize());
            assertEquals(2, pool.getQueue().size());
            assertThrows(RejectedExecutionException.class, () -> pool.execute(blocking));
            release.countDown();
            assertTrue(all.await(5, SECONDS), "the queued tasks ran on the threads that were busy");
            assertEquals(3, pool.getLargestPoolSize());
        } finally {
            pool.shutdownNow();
        }
        assertThrows(RejectedExecutionException.class, () -> pool.execute(() -> { }));
    }

    @Test
    void aLaneRunsInOrderAndItsThreadIsNamedAndDaemon() throws Exception {
        ThreadPoolExecutor lane = DaemonThreads.onDemand("lane", 1, 100);
        StringBuffer order = new StringBuffer();
        CountDownLatch done = new CountDownLatch(10);
        try {
            for (int i = 0; i < 10; i++) {
                int n = i;
                lane.execute(() -> {
                    assertTrue(Thread.currentThread().isDaemon());
                    assertTrue(Thread.currentThread().getName().startsWith("kedge-lane-"));
                    order.append(n);
                    done.countDown();
                });
            }
            assertTrue(done.await(5, SECONDS));
            assertEquals("0123456789", order.toString());
            assertTrue(lane.allowsCoreThreadTimeOut());
        } finally {
            lane.shutdownNow();
        }
    }
}
