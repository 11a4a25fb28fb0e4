package dev.kedge.core.internal;

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
 * A mailbox's bounded, ordered queue. Besides what a blocking queue does, a message taken but not handled can go
 * back to the front ({@link #pushFront}, may exceed the bound by the few in flight), queued messages can be taken
 * out by a filter ({@link #removeIf}), and a waiting taker can be woken to re-check its stop condition
 * ({@link #wake}). The bound can change; messages already queued are kept.
 */
final class MessageQueue {
    private final ArrayDeque<Message> queue = new ArrayDeque<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();
    private final Condition notFull = lock.newCondition();
    private volatile int capacity;

    MessageQueue(int capacity) {
        this.capacity = checked(capacity);
    }

    /** Appends, waiting at most {@code waitNanos} for room; false when the queue stayed full. */
    boolean offer(Message m, long waitNanos) throws InterruptedException {
        long nanos = waitNanos;
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

    /** The oldest message, waiting at most {@code waitNanos}; null when none came. */
    Message poll(long waitNanos) throws InterruptedException {
        return poll(waitNanos, () -> false);
    }

    /**
     * The oldest message, waiting at most {@code waitNanos}; null on timeout or as soon as {@code stop} is true
     * (checked under the lock, so a {@link #wake} after {@code stop} became true is never missed).
     */
    Message poll(long waitNanos, BooleanSupplier stop) throws InterruptedException {
        long nanos = waitNanos;
        lock.lockInterruptibly();
        try {
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

    /** Puts a message taken but not handled back at the front, whatever the bound. */
    void pushFront(Message m) {
        lock.lock();
        try {
            queue.addFirst(m);
            notEmpty.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Removes and returns the queued messages matching {@code filter}, in order. */
    List<Message> removeIf(Predicate<Message> filter) {
        List<Message> removed = new ArrayList<>();
        lock.lock();
        try {
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
        } finally {
            lock.unlock();
        }
        return removed;
    }

    /** Makes waiting takers re-check their stop condition now. */
    void wake() {
        lock.lock();
        try {
            notEmpty.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** A new bound; queued messages stay even above it, senders waiting for room re-check. */
    void capacity(int newCapacity) {
        lock.lock();
        try {
            capacity = checked(newCapacity);
            notFull.signalAll();
        } finally {
            lock.unlock();
        }
    }

    int capacity() {
        return capacity;
    }

    int size() {
        lock.lock();
        try {
            return queue.size();
        } finally {
            lock.unlock();
        }
    }

    boolean isEmpty() {
        return size() == 0;
    }

    private static int checked(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("a mailbox holds at least 1 message, not " + capacity);
        }
        return capacity;
    }
}
