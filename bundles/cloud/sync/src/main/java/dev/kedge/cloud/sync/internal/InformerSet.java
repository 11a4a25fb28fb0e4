package dev.kedge.cloud.sync.internal;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.fabric8.kubernetes.client.informers.ExceptionHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;

/** Informers started together, synced together, stopped together. */
final class InformerSet {
    private static final Logger LOG = LoggerFactory.getLogger(InformerSet.class);

    private final List<SharedIndexInformer<?>> informers = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    /** Starts {@code informer} (not yet running); list/watch errors are retried by fabric8 until we close it. */
    <T> SharedIndexInformer<T> start(String what, SharedIndexInformer<T> informer) {
        informer.exceptionHandler(retryUnlessClosed(what));
        informers.add(informer);
        informer.start();
        return informer;
    }

    private ExceptionHandler retryUnlessClosed(String what) {
        return (started, t) -> {
            if (closed) {
                return false;
            }
            LOG.warn("{} informer: {} (retrying)", what, t.toString());
            return true;
        };
    }

    boolean synced() {
        return !informers.isEmpty() && informers.stream().allMatch(SharedIndexInformer::hasSynced);
    }

    boolean awaitSynced(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!synced()) {
            if (System.nanoTime() - deadline >= 0) {
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }

    void close() {
        closed = true;
        informers.forEach(SharedIndexInformer::stop);
    }
}
