package dev.kedge.core;

import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledFuture;

import org.osgi.annotation.versioning.ProviderType;

/**
 * One small pool of daemon threads for every module's timers and short tasks, instead of a thread per module. A
 * task must not block for long (no network waits without a short timeout); a task that throws is logged and, when
 * periodic, keeps its schedule. Modules cancel their futures when they deactivate; the pool belongs to core.
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
