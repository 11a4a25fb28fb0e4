package dev.kedge.edge.edged.internal;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.kedge.core.DaemonThreads;
import dev.kedge.core.Lane;
import dev.kedge.core.SharedScheduler;

/**
 * {@link AgentTimer} as a serial lane ({@code kedge-edged}, a shared worker only while tasks run) whose timers live on
 * core's {@link SharedScheduler}: a timer only hands its task to the lane, so the agent's sync waits never hold a
 * shared thread. A failing task is logged and the rest go on.
 */
final class ExecutorTimer implements AgentTimer {
    private static final Logger LOG = LoggerFactory.getLogger(ExecutorTimer.class);
    /** Agent tasks waiting for the lane: a handful in practice (timers skip a turn while their last run waits). */
    private static final int QUEUE = 256;

    private final SharedScheduler scheduler;
    private final Lane lane = DaemonThreads.onDemand("edged", 1, QUEUE);
    private final List<Future<?>> timers = new CopyOnWriteArrayList<>();

    ExecutorTimer(SharedScheduler scheduler) {
        this.scheduler = scheduler;
    }

    @Override
    public void execute(Runnable task) {
        lane.execute(guarded(task));
    }

    @Override
    public void schedule(Runnable task, Duration delay) {
        timers.removeIf(Future::isDone);
        timers.add(scheduler.schedule("edged", () -> handOver(task), delay));
    }

    /** Like a fixed rate on one thread: a run still queued or running makes the next one skip its turn. */
    @Override
    public void every(Runnable task, Duration period) {
        AtomicBoolean pending = new AtomicBoolean();
        Runnable once = () -> {
            try {
                task.run();
            } finally {
                pending.set(false);
            }
        };
        timers.add(scheduler.scheduleWithFixedDelay("edged", () -> {
            if (pending.compareAndSet(false, true) && !handOver(once)) {
                pending.set(false);
            }
        }, period, period));
    }

    private boolean handOver(Runnable task) {
        if (lane.isShutdown()) {
            return false;
        }
        try {
            execute(task);
            return true;
        } catch (RejectedExecutionException e) {
            LOG.error("Edged's task queue is full ({} tasks): a timer task skips this turn", QUEUE);
            return false;
        }
    }

    /** Stops the timers and the lane, interrupting a sync wait in progress; true if it ended within {@code wait}. */
    boolean stop(Duration wait) throws InterruptedException {
        timers.forEach(f -> f.cancel(false));
        lane.shutdownNow();
        return lane.awaitTermination(wait.toMillis(), TimeUnit.MILLISECONDS);
    }

    boolean stopped() {
        return lane.isShutdown();
    }

    /** A task that throws is logged; the lane goes on with the next. */
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
