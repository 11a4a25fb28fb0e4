package dev.kedge.edge.edged.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.PriorityQueue;

/**
 * An {@link AgentTimer} driven by the test: tasks run on the test thread when {@link #advance} moves the clock
 * past their time, in time order (FIFO for equal times, as a ScheduledThreadPoolExecutor does).
 */
final class ManualTimer extends Clock implements AgentTimer {
    private record Task(long due, long seq, Runnable run, long period) {
    }

    private final PriorityQueue<Task> tasks = new PriorityQueue<>(
            Comparator.comparingLong(Task::due).thenComparingLong(Task::seq));
    private long now = Instant.parse("2026-03-01T10:00:00Z").toEpochMilli();
    private long seq;

    @Override
    public void execute(Runnable task) {
        add(task, 0, 0);
    }

    @Override
    public void schedule(Runnable task, Duration delay) {
        add(task, delay.toMillis(), 0);
    }

    @Override
    public void every(Runnable task, Duration period) {
        add(task, period.toMillis(), period.toMillis());
    }

    /** Moves time forward by {@code d}, running every task that falls due on the way. */
    void advance(Duration d) {
        long target = now + d.toMillis();
        while (!tasks.isEmpty() && tasks.peek().due() <= target) {
            Task t = tasks.poll();
            now = Math.max(now, t.due());
            if (t.period() > 0) {
                tasks.add(new Task(t.due() + t.period(), seq++, t.run(), t.period()));
            }
            t.run().run();
        }
        now = target;
    }

    /** Runs what is due now. */
    void runPending() {
        advance(Duration.ZERO);
    }

    private void add(Runnable task, long delayMs, long period) {
        tasks.add(new Task(now + delayMs, seq++, task, period));
    }

    @Override
    public Instant instant() {
        return Instant.ofEpochMilli(now);
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}
