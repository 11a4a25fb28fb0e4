package dev.kedge.edge.edged.internal;

import java.time.Duration;

/**
 * The one thread the node agent runs on. Everything the agent does (link events, registration, status, lease,
 * the shell's status query) is a task here, so the agent's state needs no locks and the bus's module thread never
 * waits for a sync answer.
 */
interface AgentTimer {

    /** Runs {@code task} as soon as the thread is free. */
    void execute(Runnable task);

    /** Runs {@code task} once after {@code delay}. */
    void schedule(Runnable task, Duration delay);

    /** Runs {@code task} every {@code period}, the first time after one period. */
    void every(Runnable task, Duration period);
}
