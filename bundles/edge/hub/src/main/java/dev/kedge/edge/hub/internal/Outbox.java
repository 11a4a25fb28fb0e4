package dev.kedge.edge.hub.internal;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

import dev.kedge.core.Message;

/**
 * The bounded, ordered queue of upstream messages. It outlives connections: what the bus hands EdgeHub while the
 * link is down waits here. A taker can be woken early ({@link #wake}) when its connection ends, and a message whose
 * write failed goes back to the front ({@link #pushFront}) so order holds across a reconnect.
 */
final class Outbox {
    private final int capacity;
    private final ArrayDeque<Message> queue = new ArrayDeque<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();
    private final Condition notFull = lock.newCondition();

    Outbox(int capacity) {
        this.capacity = capacity;
    }

    /** Appends, waiting up to {@code wait} for room; false if the outbox stayed full. */
    boolean offer(Message m, Duration wait) throws InterruptedException {
        long nanos = wait.toNanos();
        lock.lockInterruptibly();
        try {
            while (queue.size() >= capacity) {
                if (nanos <= 0) {
                    return false;
                }
                nanos = notFull.awaitNanos(nanos);
            }
            queue.addLast(m);
            notEmpty.signal();
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * The oldest message, waiting up to {@code waitNanos}; null on timeout, or as soon as {@code stop} is true
     * (checked under the lock, so a {@link #wake} after {@code stop} became true is never missed).
     */
    Message poll(long waitNanos, BooleanSupplier stop) throws InterruptedException {
        lock.lockInterruptibly();
        try {
            long nanos = waitNanos;
            while (queue.isEmpty()) {
                if (nanos <= 0 || stop.getAsBoolean()) {
                    return null;
                }
                nanos = notEmpty.awaitNanos(nanos);
            }
            Message m = queue.pollFirst();
            notFull.signal();
            return m;
        } finally {
            lock.unlock();
        }
    }

    Message poll(long waitNanos) throws InterruptedException {
        return poll(waitNanos, () -> false);
    }

    /** Puts back a message that was taken but not written; may exceed the capacity by the few in flight. */
    void pushFront(Message m) {
        lock.lock();
        try {
            queue.addFirst(m);
            notEmpty.signal();
        } finally {
            lock.unlock();
        }
    }

    /** Makes waiting {@link #poll}s re-check their stop condition now. */
    void wake() {
        lock.lock();
        try {
            notEmpty.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Removes and returns the queued messages matching {@code filter}, in order. */
    List<Message> removeIf(Predicate<Message> filter) {
        lock.lock();
        try {
            List<Message> removed = new ArrayList<>();
            for (Iterator<Message> it = queue.iterator(); it.hasNext();) {
                Message m = it.next();
                if (filter.test(m)) {
                    it.remove();
                    removed.add(m);
                }
            }
            if (!removed.isEmpty()) {
                notFull.signalAll();
            }
            return removed;
        } finally {
            lock.unlock();
        }
    }

    int size() {
        lock.lock();
        try {
            return queue.size();
        } finally {
            lock.unlock();
        }
    }

    int capacity() {
        return capacity;
    }
}
