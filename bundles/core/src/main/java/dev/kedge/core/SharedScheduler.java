package dev.kedge.core;

import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledFuture;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Every module's timers and short tasks, instead of a thread per module: one timer thread fires them and core's
 * shared workers run them, so a slow task holds up no other. A task should still not block for long (a worker is a
 * thread while it waits); a task that throws is logged and, when periodic, keeps its schedule. Modules cancel their
 * futures when they deactivate; the scheduler belongs to core.
 */
@ProviderType
public interface SharedScheduler {

    /** Runs {@code task} once after {@code delay}. {@code what} names it in logs. */
    ScheduledFuture<?> schedule(String what, Runnable task, Duration delay);

    /** Runs {@code task} after {@code initialDelay}, then {@code delay} after each run ends. */
    ScheduledFuture<?> scheduleWithFixedDelay(String what, Runnable task, Duration initialDelay, Duration delay);

    /** Runs short tasks on the pool, now. */
    Executor executor();
}
