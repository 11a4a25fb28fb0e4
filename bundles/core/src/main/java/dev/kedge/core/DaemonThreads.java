package dev.kedge.core;

import java.util.concurrent.ArrayBlockingQueue;
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
     * A pool of at most {@code threads} threads, created when a task comes and ended after {@link #IDLE_SECONDS}
     * without one, over a queue of {@code queueCapacity} tasks (a full queue rejects; set a handler to wait
     * instead). With one thread, tasks run one at a time in submission order: a serial lane that costs no thread
     * while idle.
     */
    public static ThreadPoolExecutor onDemand(String name, int threads, int queueCapacity) {
        ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, IDLE_SECONDS, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(queueCapacity), factory(name));
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }
}
