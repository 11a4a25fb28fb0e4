package dev.kedge.edge.meta.internal;

import java.util.concurrent.Executor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.kedge.core.DaemonThreads;

/**
 * One thread (while there is work) that acks and forwards committed messages, in commit order, so the store's writer thread never waits
 * on a full bus mailbox. Its queue is bounded: when full, the writer waits (back-pressure) up to 10 s, then runs the
 * task itself rather than lose an ack.
 */
final class AfterCommit implements Executor {
    private static final Logger LOG = LoggerFactory.getLogger(AfterCommit.class);
    private static final long FULL_WAIT_SECONDS = 10;

    private final ThreadPoolExecutor pool;

    AfterCommit(int capacity) {
        this(capacity, "meta-ack");
    }

    AfterCommit(int capacity, String threadName) {
        this.pool = DaemonThreads.onDemand(threadName, 1, capacity); // no thread while nothing commits
        pool.setRejectedExecutionHandler((task, executor) -> waitForRoom(task, executor));
    }

    @Override
    public void execute(Runnable task) {
        pool.execute(task);
    }

    private static void waitForRoom(Runnable task, ThreadPoolExecutor executor) {
        if (executor.isShutdown()) {
            task.run(); // stopping: do the ack here rather than drop it
            return;
        }
        try {
            if (executor.getQueue().offer(task, FULL_WAIT_SECONDS, TimeUnit.SECONDS)) {
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LOG.warn("ack queue full for {} s; acking on the committing thread", FULL_WAIT_SECONDS);
        task.run();
    }

    void stop() throws InterruptedException {
        pool.shutdown();
        if (!pool.awaitTermination(10, TimeUnit.SECONDS)) {
            LOG.warn("{} acks not sent at stop; the cloud will resend those messages", pool.shutdownNow().size());
        }
    }
}
