package dev.kedge.core.internal;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.kedge.core.BusException;
import dev.kedge.core.Message;
import dev.kedge.core.Module;
import dev.kedge.core.ModuleInfo;

/**
 * One module's bounded, ordered queue and the thread that feeds it to whichever {@link Module} service currently
 * holds the name. The queue outlives module instances: while none is bound, messages wait; a new instance gets them
 * in order. A message taken from the queue is kept as {@code head} until delivered, so an unbind never loses it.
 */
final class Mailbox implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(Mailbox.class);

    private final String name;
    private final ArrayBlockingQueue<Message> queue;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final LongAdder delivered = new LongAdder();
    private final LongAdder rejected = new LongAdder();
    private final LongAdder errors = new LongAdder();
    private final Thread thread;

    // guarded by lock
    /** Identity of the bound module (its ServiceReference, or the object itself in tests); null when none. */
    private Object target;
    private Supplier<Module> resolver;
    private String group = "";
    private boolean inDelivery;
    private boolean closed;
    /** System.nanoTime() since when no module is bound (creation counts: a send may create a mailbox first). */
    private volatile long unboundSince = System.nanoTime();
    // owned by the delivery thread
    private volatile Message head;
    private Object resolvedKey;
    private Module resolvedModule;

    Mailbox(String name, int capacity) {
        this.name = name;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.thread = new Thread(this, "kedge-bus-" + name);
        this.thread.setDaemon(true);
        this.thread.start();
    }

    String name() {
        return name;
    }

    String group() {
        lock.lock();
        try {
            return group;
        } finally {
            lock.unlock();
        }
    }

    /** Blocks at most {@code timeoutMs} on a full mailbox, then fails loudly. */
    void put(Message message, long timeoutMs) {
        boolean queued;
        try {
            queued = queue.offer(message) || queue.offer(message, timeoutMs, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BusException(BusException.Reason.CLOSED, "interrupted while sending to " + name);
        }
        if (!queued) {
            rejected.increment();
            throw new BusException(BusException.Reason.MAILBOX_FULL, "mailbox of module '" + name + "' is full ("
                    + queue.size() + " messages) and stayed full for " + timeoutMs + " ms; message "
                    + message.id() + " (" + message.operation() + " " + message.resource() + ") not sent");
        }
    }

    /**
     * True when no module has been bound for longer than {@code graceNanos}: not a module being updated (that takes
     * seconds) but one stopped or never installed. Its senders no longer wait for room.
     */
    boolean detached(long graceNanos) {
        long since = unboundSince;
        return since != 0 && System.nanoTime() - since > graceNanos;
    }

    /**
     * Binds a module by identity; {@code resolver} gets the object, lazily on the delivery thread, so that binding
     * never activates the module's component inside the bus's own activation (DS circular references).
     */
    void bind(Object key, Supplier<Module> moduleResolver, String moduleGroup) {
        lock.lock();
        try {
            target = key;
            resolver = moduleResolver;
            group = moduleGroup;
            unboundSince = 0;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Detaches {@code module}; waits (bounded) for a delivery to it in progress, so it sees nothing afterwards. */
    void unbind(Object key, long waitMs) {
        lock.lock();
        try {
            if (!key.equals(target)) { // ServiceReferences are equal per registration
                return;
            }
            target = null;
            resolver = null;
            unboundSince = System.nanoTime();
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMs);
            while (inDelivery) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    LOG.warn("module {} is going away while still handling a message after {} ms", name, waitMs);
                    break;
                }
                changed.awaitNanos(left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            lock.unlock();
        }
    }

    void close() {
        lock.lock();
        try {
            closed = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        thread.interrupt();
    }

    void join(long ms) throws InterruptedException {
        thread.join(ms);
    }

    @Override
    public void run() {
        while (true) {
            try {
                if (head == null) {
                    head = queue.take();
                }
                Module module = awaitTarget();
                if (module == null) {
                    return;
                }
                deliver(module);
            } catch (InterruptedException e) {
                if (isClosed()) {
                    return;
                }
                // a module left this thread's interrupt flag set: not a reason to stop delivering
            }
        }
    }

    private void deliver(Module module) {
        try {
            module.receive(head);
            delivered.increment();
        } catch (Exception | LinkageError | AssertionError | StackOverflowError e) { // must not end the thread
            errors.increment();
            LOG.error("module {} failed on message {} ({} {}): {}", name, head.id(), head.operation(),
                    head.resource(), e.toString(), e);
        } finally {
            head = null;
            endDelivery();
        }
    }

    private boolean isClosed() {
        lock.lock();
        try {
            return closed;
        } finally {
            lock.unlock();
        }
    }

    private Module awaitTarget() throws InterruptedException {
        while (true) {
            Object key;
            Supplier<Module> supplier;
            lock.lock();
            try {
                while (target == null && !closed) {
                    changed.await();
                }
                if (closed) {
                    return null;
                }
                inDelivery = true;
                key = target;
                supplier = resolver;
            } finally {
                lock.unlock();
            }
            if (!key.equals(resolvedKey)) {
                resolvedModule = supplier.get(); // may activate the module's component: outside our lock
                resolvedKey = resolvedModule == null ? null : key;
            }
            if (resolvedModule != null) {
                return resolvedModule;
            }
            endDelivery();
            LOG.warn("module {} is registered but its service cannot be obtained yet; retrying", name);
            Thread.sleep(100);
        }
    }

    private void endDelivery() {
        lock.lock();
        try {
            inDelivery = false;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** State ACTIVE (a module is bound), WAITING (none, e.g. during an update) or DETACHED (none for longer). */
    ModuleInfo info(long detachedGraceNanos) {
        lock.lock();
        try {
            int depth = queue.size() + (head != null && !inDelivery ? 1 : 0);
            return new ModuleInfo(name, group, target != null ? "ACTIVE" : detached(detachedGraceNanos) ? "DETACHED" : "WAITING", depth,
                    queue.remainingCapacity() + queue.size(), delivered.sum(), rejected.sum(), errors.sum());
        } finally {
            lock.unlock();
        }
    }
}
