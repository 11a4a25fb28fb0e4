package dev.kedge.edge.edged.internal;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.kedge.core.SharedScheduler;

/**
 * kubelet's pod workers without a thread per pod: each pod has a dirty flag and at most one sync running on the
 * shared pod pool. Triggers that come while a sync runs coalesce into one more sync, so a pod's work is serialized
 * and nothing queues without bound. Delayed syncs (back-off ends, retries) go through the shared scheduler; a pod
 * keeps only its earliest pending one.
 */
final class PodWorkers {
    private static final Logger LOG = LoggerFactory.getLogger(PodWorkers.class);

    private final class Worker {
        final String uid;
        final AtomicBoolean dirty = new AtomicBoolean();
        final AtomicBoolean running = new AtomicBoolean();
        ScheduledFuture<?> later; // guarded by this
        long laterAt; // nanoTime, guarded by this

        Worker(String uid) {
            this.uid = uid;
        }
    }

    private final Executor pool;
    private final SharedScheduler scheduler;
    private final Consumer<String> sync;
    private final ConcurrentHashMap<String, Worker> workers = new ConcurrentHashMap<>();
    private volatile boolean stopped;

    PodWorkers(Executor pool, SharedScheduler scheduler, Consumer<String> sync) {
        this.pool = pool;
        this.scheduler = scheduler;
        this.sync = sync;
    }

    /** Syncs the pod soon; any thread. */
    void trigger(String uid) {
        if (stopped) {
            return;
        }
        Worker w = workers.computeIfAbsent(uid, Worker::new);
        w.dirty.set(true);
        start(w);
    }

    /** Syncs the pod after {@code delay}, unless an earlier sync is already planned. */
    void triggerAfter(String uid, Duration delay) {
        if (stopped) {
            return;
        }
        Worker w = workers.computeIfAbsent(uid, Worker::new);
        long at = System.nanoTime() + delay.toNanos();
        synchronized (w) {
            if (w.later != null && !w.later.isDone() && w.laterAt <= at) {
                return;
            }
            if (w.later != null) {
                w.later.cancel(false);
            }
            w.laterAt = at;
            w.later = scheduler.schedule("edged pod " + uid, () -> trigger(uid), delay);
        }
    }

    void forget(String uid) {
        Worker w = workers.remove(uid);
        if (w != null) {
            synchronized (w) {
                if (w.later != null) {
                    w.later.cancel(false);
                }
            }
        }
    }

    boolean busy(String uid) {
        Worker w = workers.get(uid);
        return w != null && (w.running.get() || w.dirty.get());
    }

    void stop() {
        stopped = true;
        workers.keySet().forEach(this::forget);
    }

    private void start(Worker w) {
        if (!w.running.compareAndSet(false, true)) {
            return; // the running loop sees the dirty flag
        }
        try {
            pool.execute(() -> loop(w));
        } catch (RejectedExecutionException e) {
            w.running.set(false);
            if (!stopped) {
                LOG.warn("pod pool full: sync of pod {} retried in 1 s", w.uid);
                triggerAfter(w.uid, Duration.ofSeconds(1));
            }
        }
    }

    private void loop(Worker w) {
        try {
            while (!stopped && w.dirty.getAndSet(false)) {
                try {
                    sync.accept(w.uid);
                } catch (RuntimeException e) {
                    LOG.error("sync of pod {} failed; retrying in 5 s", w.uid, e);
                    triggerAfter(w.uid, Duration.ofSeconds(5));
                }
            }
        } finally {
            w.running.set(false);
        }
        if (w.dirty.get() && !stopped) {
            start(w); // triggered between the last check and the reset
        }
    }

}
