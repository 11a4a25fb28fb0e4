package dev.kedge.cloud.sync.internal;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BinaryOperator;
import java.util.function.Function;

/**
 * A bounded FIFO with at most one entry per key: offering a key already queued merges into that entry (in place, so
 * it keeps its turn) instead of growing the queue. This is how a burst of acks for the same objects turns into as
 * few API writes as the single writer manages.
 */
final class CoalescingQueue<V> {
    enum Offer { QUEUED, COALESCED, FULL }

    private final int capacity;
    private final Function<V, String> key;
    private final BinaryOperator<V> merge;
    private final LinkedHashMap<String, V> entries = new LinkedHashMap<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();
    private final Condition notFull = lock.newCondition();

    /** @param merge (queued, incoming) → the entry to keep */
    CoalescingQueue(int capacity, Function<V, String> key, BinaryOperator<V> merge) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive: " + capacity);
        }
        this.capacity = capacity;
        this.key = key;
        this.merge = merge;
    }

    /** Merges or appends; waits up to {@code waitMs} for room when a new key meets a full queue. */
    Offer offer(V value, long waitMs) throws InterruptedException {
        String k = key.apply(value);
        long nanos = TimeUnit.MILLISECONDS.toNanos(Math.max(0, waitMs));
        lock.lockInterruptibly();
        try {
            while (true) {
                V queued = entries.get(k);
                if (queued != null) {
                    entries.put(k, merge.apply(queued, value));
                    return Offer.COALESCED;
                }
                if (entries.size() < capacity) {
                    entries.put(k, value);
                    notEmpty.signal();
                    return Offer.QUEUED;
                }
                if (nanos <= 0) {
                    return Offer.FULL;
                }
                nanos = notFull.awaitNanos(nanos);
            }
        } finally {
            lock.unlock();
        }
    }

    /** The oldest entry, waiting up to {@code waitMs}; null when none came. */
    V poll(long waitMs) throws InterruptedException {
        long nanos = TimeUnit.MILLISECONDS.toNanos(Math.max(0, waitMs));
        lock.lockInterruptibly();
        try {
            while (entries.isEmpty()) {
                if (nanos <= 0) {
                    return null;
                }
                nanos = notEmpty.awaitNanos(nanos);
            }
            Iterator<Map.Entry<String, V>> it = entries.entrySet().iterator();
            V head = it.next().getValue();
            it.remove();
            notFull.signal();
            return head;
        } finally {
            lock.unlock();
        }
    }

    int size() {
        lock.lock();
        try {
            return entries.size();
        } finally {
            lock.unlock();
        }
    }

    int capacity() {
        return capacity;
    }
}
