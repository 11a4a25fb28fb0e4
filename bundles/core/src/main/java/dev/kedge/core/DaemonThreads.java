package dev.kedge.core;

import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread factory of Kedge: daemon threads named {@code kedge-<name>-<n>}, whose uncaught exceptions are
 * logged rather than lost, and the workers every {@link Lane} runs on. Prefer {@link SharedScheduler} for timers and
 * {@link #onDemand} lanes for work; a thread of its own only for what blocks for a long time (a socket reader).
 */
public final class DaemonThreads {
    private static final Logger LOG = LoggerFactory.getLogger(DaemonThreads.class);

    /** How long a shared worker with nothing to do lives on: long enough to serve a burst. */
    public static final long IDLE_SECONDS = 5;

    private static final ThreadPoolExecutor WORKERS = workers("worker");

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
     * A {@link Lane} of at most {@code threads} concurrent tasks over a queue of at most {@code queueCapacity}, run on
     * the shared workers: a serial lane with one thread, a bounded pool with more; no thread while idle.
     */
    public static Lane onDemand(String name, int threads, int queueCapacity) {
        return new Lane(name, threads, queueCapacity, WORKERS);
    }

    // no cap: a lane bounds itself, and a module blocked in its task must never hold up another module's lane. The
    // hand-off queue gives a task to the worker that went idle last, so the others can run out their idle time
    static ThreadPoolExecutor workers(String name) {
        return new ThreadPoolExecutor(0, Integer.MAX_VALUE, IDLE_SECONDS, TimeUnit.SECONDS, new SynchronousQueue<>(),
                factory(name));
    }
}
