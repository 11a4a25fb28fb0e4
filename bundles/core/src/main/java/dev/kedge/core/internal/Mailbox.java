package dev.kedge.core.internal;

import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.kedge.core.BusException;
import dev.kedge.core.Inbox;
import dev.kedge.core.Message;
import dev.kedge.core.Module;
import dev.kedge.core.ModuleInfo;

/**
 * One module's bounded, ordered queue, fed to whichever {@link Module} service currently holds the name, or taken
 * from by the module itself through an open {@link Inbox} ({@link MailboxInbox}). The queue outlives module
 * instances: while none is bound, messages wait; a new instance gets them in order.
 * <p>No thread of its own: while it has messages and a module, one drain task at a time runs on the bus's pool and
 * empties it, then lingers a moment for more (a burst keeps its thread, as a thread per mailbox did) and ends. A
 * message taken from the queue is kept as {@code head} until delivered (back at the queue's front if the module went
 * away meanwhile), and an unbind waits for a delivery in progress, so an update never loses or repeats one. A
 * mailbox with an open inbox gets no drain task: its module takes the messages.
 */
final class Mailbox implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(Mailbox.class);
    /** How long an emptied mailbox keeps its thread for the next message: restarting a drain costs a hand-over. */
    static final long LINGER_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private final String name;
    private final MessageQueue queue;
    private final Executor drainers;
    /** True from the moment a drain task is handed to the pool until it has seen an empty queue (or no module). */
    private final AtomicBoolean draining = new AtomicBoolean();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final LongAdder delivered = new LongAdder();
    private final LongAdder rejected = new LongAdder();
    private final LongAdder errors = new LongAdder();

    // written under lock; volatile so that a sender can check it without the lock
    /** Identity of the bound module (its ServiceReference, or the object itself in tests); null when none. */
    private volatile Object target;
    private volatile boolean closed;
    /** The module's own hold on the mailbox while it takes its messages itself; null otherwise. */
    private volatile MailboxInbox inbox;
    /** The open inbox's gate, run on the sender's thread; null admits everything. */
    private volatile Predicate<Message> admit;
    // guarded by lock
    private Supplier<Module> resolver;
    private String group = "";
    private boolean inDelivery;
    /** System.nanoTime() since when no module is bound (creation counts: a send may create a mailbox first). */
    private volatile long unboundSince = System.nanoTime();
    // owned by the drain task (one at a time; handed over through the draining flag)
    /** Taken from the queue, not yet delivered (no module when it was taken); volatile for bind and info. */
    private volatile Message head;
    private Object resolvedKey;
    private Module resolvedModule;

    Mailbox(String name, int capacity, Executor drainers) {
        this.name = name;
        this.queue = new MessageQueue(capacity);
        this.drainers = drainers;
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

    /** Blocks at most {@code timeoutMs} on a full mailbox, then fails loudly. An open inbox's gate may take it first. */
    void put(Message message, long timeoutMs) {
        if (!admitted(message)) {
            return; // the module dealt with it on the sender's thread (answered or refused it, loudly)
        }
        boolean queued;
        try {
            queued = queue.offer(message, TimeUnit.MILLISECONDS.toNanos(timeoutMs));
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
        wake();
    }

    private boolean admitted(Message message) {
        Predicate<Message> gate = admit;
        if (gate == null) {
            return true;
        }
        try {
            return gate.test(message);
        } catch (RuntimeException e) { // a broken gate must not lose the message: it is queued
            errors.increment();
            LOG.error("module {} failed to look at message {} before it was queued; queued anyway", name,
                    message.id(), e);
            return true;
        }
    }

    /**
     * Starts a drain task unless one runs or nobody could receive. Race-free with a task that is ending: that task
     * clears {@code draining} before it looks at the queue and the target a last time (see {@link #run}).
     */
    private void wake() {
        if (target == null || closed || draining.get() || !draining.compareAndSet(false, true)) {
            return;
        }
        try {
            drainers.execute(this);
        } catch (RejectedExecutionException stopping) { // the bus is closing
            draining.set(false);
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
     * Binds a module by identity; {@code resolver} gets the object, lazily on the drain task, so that binding never
     * activates the module's component inside the bus's own activation (DS circular references).
     */
    void bind(Object key, Supplier<Module> moduleResolver, String moduleGroup) {
        lock.lock();
        try {
            if (inbox != null) {
                LOG.error("module {} takes its messages through an inbox; the Module service {} is ignored", name, key);
                return;
            }
            target = key;
            resolver = moduleResolver;
            group = moduleGroup;
            unboundSince = 0;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        if (head != null || !queue.isEmpty()) {
            wake();
        }
    }

    /** Hands the mailbox to a module that takes its messages itself; see {@link dev.kedge.core.MessageBus#openInbox}. */
    Inbox open(String moduleGroup, int capacity, Predicate<Message> gate, LongSupplier detachedGraceNanos) {
        MailboxInbox opened;
        lock.lock();
        try {
            if (closed) {
                throw new BusException(BusException.Reason.CLOSED, "message bus stopped");
            }
            if (target != null || inbox != null) {
                throw new IllegalStateException("module " + name + " already has a consumer: "
                        + (inbox != null ? "an open inbox" : target));
            }
            queue.capacity(capacity);
            opened = new MailboxInbox(this, detachedGraceNanos);
            inbox = opened;
            admit = gate;
            group = moduleGroup;
            unboundSince = 0;
            awaitDrainEnd();
        } finally {
            lock.unlock();
        }
        return opened;
    }

    /**
     * A drain task still ending for the module that went before puts its message back at the queue's front; the
     * inbox must not take the next one first. It ends at once (no module is bound), so the wait is short; bounded.
     */
    private void awaitDrainEnd() {
        long left = TimeUnit.SECONDS.toNanos(5);
        try {
            while (draining.get()) {
                if (left <= 0) {
                    LOG.warn("module {}: the mailbox's last delivery is still in progress; its inbox opens anyway",
                            name);
                    return;
                }
                left = changed.awaitNanos(left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The inbox gives the mailbox back: its messages wait for the next consumer. */
    void release(MailboxInbox closing) {
        lock.lock();
        try {
            if (inbox != closing) {
                return;
            }
            inbox = null;
            admit = null;
            unboundSince = System.nanoTime();
        } finally {
            lock.unlock();
        }
        queue.wake();
    }

    MessageQueue queue() {
        return queue;
    }

    boolean closed() {
        return closed;
    }

    /** An inbox took a message ({@code +1}) or put one back ({@code -1}). */
    void taken(int n) {
        delivered.add(n);
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

    /** Queued messages stay where they are; no drain task starts any more (the bus stops its pool). */
    void close() {
        lock.lock();
        try {
            closed = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        queue.wake(); // an inbox's poll ends
    }

    /** The drain task: delivers until the queue is empty or no module is bound, then gives the thread back. */
    @Override
    public void run() {
        Thread self = Thread.currentThread();
        String poolName = self.getName();
        self.setName("kedge-bus-" + name); // thread dumps show which module a busy thread serves
        try {
            do {
                drain();
                draining.set(false);
                // a sender that saw draining == true before we cleared it left its message to us
            } while ((head != null || !queue.isEmpty()) && target != null && !closed
                    && draining.compareAndSet(false, true));
        } finally {
            self.setName(poolName);
            if (inbox != null) { // an inbox opening waits for this task to end
                lock.lock();
                try {
                    changed.signalAll();
                } finally {
                    lock.unlock();
                }
            }
        }
    }

    private void drain() {
        while (!closed) {
            if (head == null) {
                try {
                    head = queue.poll(LINGER_NANOS);
                } catch (InterruptedException e) {
                    return; // the bus is stopping its pool
                }
                if (head == null) {
                    return;
                }
            }
            Module module = startDelivery();
            if (module == null) {
                queue.pushFront(head); // first for the next consumer, a module or an inbox
                head = null;
                return;
            }
            deliver(module);
            Thread.interrupted(); // a module that restored the interrupt flag must not disturb the next delivery
        }
    }

    private void deliver(Module module) {
        Message message = head;
        try {
            module.receive(message);
            delivered.increment();
        } catch (Exception | LinkageError | AssertionError | StackOverflowError e) { // must not end the drain
            errors.increment();
            LOG.error("module {} failed on message {} ({} {}): {}", name, message.id(), message.operation(),
                    message.resource(), e.toString(), e);
        } finally {
            head = null;
            endDelivery();
        }
    }

    /** The bound module, marked in delivery (so that an unbind waits for us), or null when none is bound. */
    private Module startDelivery() {
        while (true) {
            Object key;
            Supplier<Module> supplier;
            lock.lock();
            try {
                if (target == null || closed) {
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
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                return null; // the bus is stopping its pool
            }
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

    /** State ACTIVE (a module is bound or an inbox open), WAITING (none, e.g. during an update) or DETACHED (none for longer). */
    ModuleInfo info(long detachedGraceNanos) {
        lock.lock();
        try {
            int depth = queue.size() + (head != null && !inDelivery ? 1 : 0);
            boolean consumed = target != null || inbox != null;
            return new ModuleInfo(name, group, consumed ? "ACTIVE" : detached(detachedGraceNanos) ? "DETACHED" : "WAITING",
                    depth, queue.capacity(), delivered.sum(), rejected.sum(), errors.sum());
        } finally {
            lock.unlock();
        }
    }
}
