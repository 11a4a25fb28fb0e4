package dev.kedge.core.internal;

import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.kedge.core.DaemonThreads;
import dev.kedge.core.SharedScheduler;

/** Two daemon threads ({@code kedge-shared-N}) for all modules' timers. */
@Component(service = SharedScheduler.class)
public final class SharedSchedulerImpl implements SharedScheduler {
    private static final Logger LOG = LoggerFactory.getLogger(SharedSchedulerImpl.class);
    static final int THREADS = 2;

    private final ScheduledThreadPoolExecutor pool;

    public SharedSchedulerImpl() {
        pool = new ScheduledThreadPoolExecutor(THREADS, DaemonThreads.factory("shared"));
        pool.setRemoveOnCancelPolicy(true);
        pool.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    @Override
    public ScheduledFuture<?> schedule(String what, Runnable task, Duration delay) {
        return pool.schedule(guarded(what, task), delay.toNanos(), TimeUnit.NANOSECONDS);
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(String what, Runnable task, Duration initialDelay,
            Duration delay) {
        return pool.scheduleWithFixedDelay(guarded(what, task), initialDelay.toNanos(), delay.toNanos(),
                TimeUnit.NANOSECONDS);
    }

    @Override
    public Executor executor() {
        return r -> pool.execute(guarded("task", r));
    }

    @Deactivate
    void stop() {
        pool.shutdownNow();
    }

    // a periodic task that throws would otherwise be silently descheduled
    private static Runnable guarded(String what, Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (RuntimeException | Error e) {
                LOG.error("scheduled task '{}' failed", what, e);
            }
        };
    }
}
