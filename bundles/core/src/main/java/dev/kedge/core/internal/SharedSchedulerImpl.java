package dev.kedge.core.internal;

import java.time.Duration;
import java.util.concurrent.Delayed;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.kedge.core.DaemonThreads;
import dev.kedge.core.Lane;
import dev.kedge.core.SharedScheduler;

/**
 * One timer thread ({@code kedge-timer-1}) for every module's timers. It only fires them: the tasks run on core's
 * shared workers ({@code kedge-shared} while they run), so a task that is slow delays no other timer, and the
 * scheduler costs one thread, not one per task that might block.
 */
@Component(service = SharedScheduler.class)
public final class SharedSchedulerImpl implements SharedScheduler {
    private static final Logger LOG = LoggerFactory.getLogger(SharedSchedulerImpl.class);
    // fired tasks wait here only for a worker to start: the lane has no cap of threads
    private static final int FIRED_WAITING = 4096;

    private final ScheduledThreadPoolExecutor timer;
    private final Lane tasks;

    public SharedSchedulerImpl() {
        timer = new ScheduledThreadPoolExecutor(1, DaemonThreads.factory("timer"));
        timer.setRemoveOnCancelPolicy(true);
        timer.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        tasks = DaemonThreads.onDemand("shared", Integer.MAX_VALUE, FIRED_WAITING);
    }

    @Override
    public ScheduledFuture<?> schedule(String what, Runnable task, Duration delay) {
        Runnable run = guarded(what, task);
        return timer.schedule(() -> handOver(what, run), delay.toNanos(), TimeUnit.NANOSECONDS);
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(String what, Runnable task, Duration initialDelay,
            Duration delay) {
        Repeating r = new Repeating(what, guarded(what, task), delay.toNanos());
        r.start(initialDelay.toNanos());
        return r;
    }

    @Override
    public Executor executor() {
        return r -> tasks.execute(guarded("task", r));
    }

    @Deactivate
    void stop() {
        timer.shutdownNow();
        tasks.shutdownNow();
    }

    private void handOver(String what, Runnable run) {
        try {
            tasks.execute(run);
        } catch (RejectedExecutionException e) {
            if (!tasks.isShutdown()) {
                LOG.error("scheduled task '{}' not run: {}", what, e.getMessage());
            }
        }
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

    /**
     * A fixed-delay task: each run ends by scheduling the next, so runs never overlap and the delay counts from the
     * end of a run, as {@link ScheduledThreadPoolExecutor#scheduleWithFixedDelay} does. Never done until cancelled.
     */
    private final class Repeating implements ScheduledFuture<Object>, Runnable {
        private final String what;
        private final Runnable task;
        private final long delayNanos;
        /** One hand-over task for all runs: no lambda made at every tick (a periodic task ticks for the JVM's life). */
        private final Runnable once = this::runOnce;
        private ScheduledFuture<?> next; // guarded by this
        private volatile boolean cancelled;

        Repeating(String what, Runnable task, long delayNanos) {
            this.what = what;
            this.task = task;
            this.delayNanos = delayNanos;
        }

        synchronized void start(long initialDelayNanos) {
            next = timer.schedule(this, initialDelayNanos, TimeUnit.NANOSECONDS);
        }

        @Override
        public void run() { // on the timer thread
            if (!cancelled) {
                handOver(what, once);
            }
        }

        private void runOnce() {
            if (cancelled) {
                return;
            }
            task.run();
            synchronized (this) {
                if (!cancelled) {
                    try {
                        next = timer.schedule(this, delayNanos, TimeUnit.NANOSECONDS);
                    } catch (RejectedExecutionException stopping) {
                        cancelled = true; // core's scheduler stopped
                    }
                }
            }
        }

        /** Stops further runs; a run in progress finishes (it is not interrupted: it runs on a shared worker). */
        @Override
        public synchronized boolean cancel(boolean mayInterruptIfRunning) {
            if (cancelled) {
                return false;
            }
            cancelled = true;
            next.cancel(false);
            return true;
        }

        @Override
        public boolean isCancelled() {
            return cancelled;
        }

        @Override
        public boolean isDone() {
            return cancelled;
        }

        @Override
        public synchronized long getDelay(TimeUnit unit) {
            return next.getDelay(unit);
        }

        @Override
        public int compareTo(Delayed other) {
            return Long.compare(getDelay(TimeUnit.NANOSECONDS), other.getDelay(TimeUnit.NANOSECONDS));
        }

        @Override
        public Object get() {
            throw new UnsupportedOperationException("a periodic task has no result");
        }

        @Override
        public Object get(long timeout, TimeUnit unit) {
            throw new UnsupportedOperationException("a periodic task has no result");
        }
    }
}
