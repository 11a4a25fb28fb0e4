package dev.kedge.core;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A bounded executor that owns no thread: its tasks run on core's shared daemon workers ({@code kedge-worker-N},
 * started when none is idle, ended after {@link DaemonThreads#IDLE_SECONDS} without work), at most {@code maxThreads}
 * at a time, started in submission order, over a queue of at most {@code capacity} tasks; a full queue rejects. With
 * one thread it is a serial lane. So every module's executor together costs the threads busy at the moment, not a
 * thread per module that lingers. A worker carries the lane's name ({@code kedge-<name>}) while it runs the lane's
 * tasks: thread dumps still show which module is busy. Get one from {@link DaemonThreads#onDemand}.
 */
public final class Lane extends AbstractExecutorService {
    private static final Logger LOG = LoggerFactory.getLogger(Lane.class);

    private final String threadName;
    private final int maxThreads;
    private final int capacity;
    private final ArrayDeque<Runnable> queue = new ArrayDeque<>(); // tasks that found all threads busy; guarded by lock
    private final Executor workers;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition roomOrIdle = lock.newCondition();
    private final Set<Thread> running = new HashSet<>(); // threads inside a task of this lane, for shutdownNow
    private int drainers; // drain tasks handed to the workers and not yet finished
    private int largest;
    private boolean stopped; // shutdownNow: no queued task runs any more
    private volatile boolean shutdown; // written under lock; read without it by isShutdown

    Lane(String name, int maxThreads, int capacity, Executor workers) {
        if (maxThreads < 1 || capacity < 1) {
            throw new IllegalArgumentException(name + ": threads and capacity must be at least 1");
        }
        this.threadName = "kedge-" + name;
        this.maxThreads = maxThreads;
        this.capacity = capacity;
        this.workers = workers;
    }

    /** Runs the task when a thread is free; rejects it when the queue is full or the lane is shut down. */
    @Override
    public void execute(Runnable task) {
        execute(task, Duration.ZERO);
    }

    /** Runs the task when a thread is free, waiting at most {@code room} for room in a full queue; rejects it after. */
    public void execute(Runnable task, Duration room) {
        Objects.requireNonNull(task, "task");
        long left = room.toNanos();
        lock.lock();
        try {
            while (!shutdown && drainers >= maxThreads && queue.size() >= capacity) {
                if (left <= 0) {
                    throw rejected();
                }
                left = roomOrIdle.awaitNanos(left);
            }
            if (shutdown) {
                throw rejected();
            }
            if (drainers >= maxThreads) {
                queue.add(task); // a busy drainer takes it next
                return;
            }
            drainers++;
            largest = Math.max(largest, drainers);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw rejected();
        } finally {
            lock.unlock();
        }
        try {
            workers.execute(() -> drain(task)); // a new drainer starts with this task, so tasks queue only for threads
        } catch (RejectedExecutionException | OutOfMemoryError e) { // no thread could be started
            lock.lock();
            try {
                drainers--;
                roomOrIdle.signalAll();
            } finally {
                lock.unlock();
            }
            throw e;
        }
    }

    private RejectedExecutionException rejected() {
        return new RejectedExecutionException(threadName + (shutdown ? ": shut down" : ": all " + maxThreads
                + " threads busy and " + queue.size() + " tasks queued"));
    }

    private void drain(Runnable first) {
        Thread self = Thread.currentThread();
        String workerName = self.getName();
        self.setName(threadName);
        try {
            Runnable task = first;
            lock.lock();
            try {
                running.add(self);
                if (stopped) { // shutdownNow came before this drainer ran: the task runs interrupted, as in a JDK pool
                    self.interrupt();
                }
            } finally {
                lock.unlock();
            }
            while (task != null) {
                try {
                    task.run();
                } catch (RuntimeException | Error e) {
                    LOG.error("uncaught in {}", threadName, e);
                }
                task = next(self);
                Thread.interrupted(); // from shutdownNow, or a task's own: not for the next task or lane
            }
        } finally {
            self.setName(workerName);
        }
    }

    /** The next queued task for this drainer, or null (and the drainer is counted out) when there is none. */
    private Runnable next(Thread self) {
        lock.lock();
        try {
            Runnable task = stopped ? null : queue.poll();
            if (task == null) {
                running.remove(self);
                drainers--;
            }
            roomOrIdle.signalAll(); // room in the queue, or one drainer fewer
            return task;
        } finally {
            lock.unlock();
        }
    }

    /** Tasks waiting for a thread. */
    public int queued() {
        lock.lock();
        try {
            return queue.size();
        } finally {
            lock.unlock();
        }
    }

    /** Workers running this lane's tasks now. */
    public int active() {
        lock.lock();
        try {
            return drainers;
        } finally {
            lock.unlock();
        }
    }

    /** The most workers this lane ever had at once. */
    public int largest() {
        lock.lock();
        try {
            return largest;
        } finally {
            lock.unlock();
        }
    }

    /** Takes no more tasks; the queued ones still run. */
    @Override
    public void shutdown() {
        lock.lock();
        try {
            shutdown = true;
            roomOrIdle.signalAll(); // a caller waiting for room gives up
        } finally {
            lock.unlock();
        }
    }

    /** Takes no more tasks, returns the queued ones unrun and interrupts the running ones. */
    @Override
    public List<Runnable> shutdownNow() {
        List<Runnable> left = new ArrayList<>();
        lock.lock();
        try {
            shutdown = true;
            stopped = true;
            left.addAll(queue);
            queue.clear();
            roomOrIdle.signalAll();
            running.forEach(Thread::interrupt);
        } finally {
            lock.unlock();
        }
        return left;
    }

    @Override
    public boolean isShutdown() {
        return shutdown;
    }

    @Override
    public boolean isTerminated() {
        lock.lock();
        try {
            return terminated();
        } finally {
            lock.unlock();
        }
    }

    private boolean terminated() {
        return shutdown && drainers == 0 && queue.isEmpty();
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        long left = unit.toNanos(timeout);
        lock.lock();
        try {
            while (!terminated()) {
                if (left <= 0) {
                    return false;
                }
                left = roomOrIdle.awaitNanos(left);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }
}
