package dev.kedge.edge.meta.internal;

import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.kedge.core.DaemonThreads;
import dev.kedge.core.Lane;

/**
 * One thread (while there is work) that acks and forwards committed messages, in commit order, so the store's writer thread never waits
 * on a full bus mailbox. Its queue is bounded: when full, the writer waits (back-pressure) up to 10 s, then runs the
 * task itself rather than lose an ack.
 */
final class AfterCommit implements Executor {
    private static final Logger LOG = LoggerFactory.getLogger(AfterCommit.class);
    private static final Duration FULL_WAIT = Duration.ofSeconds(10);

    private final Lane pool;

    AfterCommit(int capacity) {
        this(capacity, "meta-ack");
    }

    AfterCommit(int capacity, String threadName) {
        this.pool = DaemonThreads.onDemand(threadName, 1, capacity); // no thread while nothing commits
    }

    @Override
    public void execute(Runnable task) {
        try {
            pool.execute(task, FULL_WAIT);
        } catch (RejectedExecutionException e) {
            if (!pool.isShutdown()) { // stopping: do the ack here rather than drop it, without a warning
                LOG.warn("ack queue full for {} s; acking on the committing thread", FULL_WAIT.toSeconds());
            }
            task.run();
        }
    }

    void stop() throws InterruptedException {
        pool.shutdown();
        if (!pool.awaitTermination(10, TimeUnit.SECONDS)) {
            LOG.warn("{} acks not sent at stop; the cloud will resend those messages", pool.shutdownNow().size());
        }
    }
}
