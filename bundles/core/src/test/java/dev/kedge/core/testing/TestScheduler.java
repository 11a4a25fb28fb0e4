package dev.kedge.core.testing;

import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.slf4j.LoggerFactory;

import dev.kedge.core.DaemonThreads;
import dev.kedge.core.SharedScheduler;

/** core's SharedScheduler for other modules' tests: real daemon threads, stopped by the test. */
public final class TestScheduler implements SharedScheduler {
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
                LoggerFactory.getLogger(TestScheduler.class).error("task {} failed", what, e);
            }
        }, initialDelay.toNanos(), delay.toNanos(), TimeUnit.NANOSECONDS);
    }

    @Override
    public Executor executor() {
        return pool;
    }

    public void stop() {
        pool.shutdownNow();
    }
}
