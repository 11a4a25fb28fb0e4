package dev.kedge.core;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.LinkedTransferQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread factory of Kedge: daemon threads named {@code kedge-<name>-<n>}, whose uncaught exceptions are
 * logged rather than lost. Prefer {@link SharedScheduler} for timers; use this only for a thread that must block
 * (a socket reader, a single writer), preferably through {@link #onDemand}, whose threads end when idle.
 */
public final class DaemonThreads {
    private static final Logger LOG = LoggerFactory.getLogger(DaemonThreads.class);

    /** How long an {@link #onDemand} thread with nothing to do lives on: long enough to serve a burst. */
    public static final long IDLE_SECONDS = 5;

    private DaemonThreads() {
    }

    /** A factory for threads named {@code kedge-<name>-1}, {@code kedge-<name>-2}, … */
    public static ThreadFactory factory(String name) {
        AtomicInteger seq = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, "kedge-" + name + "-" + seq.incrementAndGet());
            t.setDaemon(true);
            t.setUncaughtExceptionHandler((th, e) -> LOG.error("uncaught in {}", th.getName(), e));
            return t;
        };
    }

    /**
     * A pool of at most {@code threads} threads, created when a task finds none idle and ended after
     * {@link #IDLE_SECONDS} without work, over a queue of at most {@code queueCapacity} tasks that wait only while all
     * threads are busy; a full queue rejects. With one thread, tasks run one at a time in submission order: a serial
     * lane that costs no thread while idle (set a handler that waits for room, if rejecting is wrong there). With
     * more, an idle thread takes a task before a new one is started: a trickle of tasks keeps one thread, not all.
     */
    public static ThreadPoolExecutor onDemand(String name, int threads, int queueCapacity) {
        if (threads == 1) {
            ThreadPoolExecutor lane = new ThreadPoolExecutor(1, 1, IDLE_SECONDS, TimeUnit.SECONDS,
                    new ArrayBlockingQueue<>(queueCapacity), factory(name));
            lane.allowCoreThreadTimeOut(true);
            return lane;
        }
        HandOffQueue queue = new HandOffQueue(queueCapacity);
        // no core threads: the executor starts a thread only when the queue refuses, i.e. when none is idle
        return new ThreadPoolExecutor(0, threads, IDLE_SECONDS, TimeUnit.SECONDS, queue, factory(name),
                (task, pool) -> {
                    if (pool.isShutdown() || !queue.enqueue(task)) {
                        throw new RejectedExecutionException(name + ": all " + threads + " threads busy and "
                                + queueCapacity + " tasks queued");
                    }
                });
    }

    /**
     * Hands a task to an idle thread, or refuses it so that the executor starts a thread; {@link #enqueue} queues it
     * (bounded) when the executor is at its maximum. Tomcat's TaskQueue does the same for its connector pool.
     */
    private static final class HandOffQueue extends LinkedTransferQueue<Runnable> {
        private static final long serialVersionUID = 1L;
        private final int capacity;

        HandOffQueue(int capacity) {
            this.capacity = capacity;
        }

        @Override
        public boolean offer(Runnable task) {
            return tryTransfer(task);
        }

        synchronized boolean enqueue(Runnable task) {
            return size() < capacity && super.offer(task); // size() walks at most capacity nodes, on overflow only
        }
    }
}
