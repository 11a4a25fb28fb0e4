package dev.kedge.edge.edged.internal;

import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import dev.kedge.core.DaemonThreads;
import dev.kedge.core.SharedScheduler;

/** core's SharedScheduler as the tests need it: two real daemon threads, stopped by the test. */
final class TestScheduler implements SharedScheduler {
    private final ScheduledThreadPoolExecutor pool = new ScheduledThreadPoolExecutor(2,
            DaemonThreads.factory("test-shared"));

    @Override
    public ScheduledFuture<?> schedule(String what, Runnable task, Duration delay) {
        return pool.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(String what, Runnable task, Duration initialDelay,
            Duration delay) {
        return pool.scheduleWithFixedDelay(() -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                org.slf4j.LoggerFactory.getLogger(TestScheduler.class).error("task {} failed", what, e);
            }
        }, initialDelay.toNanos(), delay.toNanos(), TimeUnit.NANOSECONDS);
    }

    @Override
    public Executor executor() {
        return pool;
    }

    void stop() {
        pool.shutdownNow();
    }
}
