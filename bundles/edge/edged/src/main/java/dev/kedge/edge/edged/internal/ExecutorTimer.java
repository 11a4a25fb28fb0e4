package dev.kedge.edge.edged.internal;

import java.time.Duration;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@link AgentTimer} on one daemon thread, {@code kedge-edged}. A failing task is logged and the rest go on. */
final class ExecutorTimer implements AgentTimer {
    private static final Logger LOG = LoggerFactory.getLogger(ExecutorTimer.class);

    private final ScheduledThreadPoolExecutor executor;

    ExecutorTimer() {
        executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "kedge-edged");
            t.setDaemon(true);
            return t;
        });
        executor.setRemoveOnCancelPolicy(true);
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    @Override
    public void execute(Runnable task) {
        executor.execute(guarded(task));
    }

    @Override
    public void schedule(Runnable task, Duration delay) {
        executor.schedule(guarded(task), delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void every(Runnable task, Duration period) {
        long ms = period.toMillis();
        executor.scheduleAtFixedRate(guarded(task), ms, ms, TimeUnit.MILLISECONDS);
    }

    /** Stops the thread, interrupting a sync wait in progress; true if it ended within {@code wait}. */
    boolean stop(Duration wait) throws InterruptedException {
        executor.shutdownNow();
        return executor.awaitTermination(wait.toMillis(), TimeUnit.MILLISECONDS);
    }

    boolean stopped() {
        return executor.isShutdown();
    }

    /** A periodic task that throws would never run again: log it instead. */
    private static Runnable guarded(Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.error("Edged task failed: {}", e.toString(), e);
            }
        };
    }
}
