package dev.kedge.core.internal;

import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
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
 * <p>No thread of its own: its {@link MailboxDrain} delivers on the bus's pool while there are messages and a
 * module. An unbind waits for a delivery in progress, so an update never loses or repeats a message. A mailbox with
 * an open inbox gets no drain task: its module takes the messages.
 */
final class Mailbox {
    private static final Logger LOG = LoggerFactory.getLogger(Mailbox.class);

    /** A bound module: its identity (its ServiceReference, or the object itself in tests) and how to get it. */
    record Binding(Object key, Supplier<Module> resolver) {
    }

    private final String name;
    private final MessageQueue queue;
    private final MailboxDrain drain;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final LongAdder delivered = new LongAdder();
    private final LongAdder rejected = new LongAdder();
    private final LongAdder errors = new LongAdder();

    // written under lock; volatile so that a sender can check it without the lock
    /** The bound module; null when none. */
    private volatile Binding bound;
    private volatile boolean closed;
    /** The module's own hold on the mailbox while it takes its messages itself; null otherwise. */
    private volatile MailboxInbox inbox;
    /** The open inbox's gate, run on the sender's thread; null admits everything. */
    private volatile Predicate<Message> admit;
    // guarded by lock
    private String group = "";
    private boolean inDelivery;
    /** System.nanoTime() since when no module is bound (creation counts: a send may create a mailbox first). */
    private volatile long unboundSince = System.nanoTime();

    Mailbox(String name, int capacity, Executor drainers) {
        this.name = name;
        this.queue = new MessageQueue(capacity);
        this.drain = new MailboxDrain(this, queue, drainers);
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

    /** Starts a drain task unless nobody could receive (or one runs: see {@link MailboxDrain#start}). */
    private void wake() {
        if (bound == null || closed) {
            return;
        }
        drain.start();
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
            bound = new Binding(key, moduleResolver);
            group = moduleGroup;
            unboundSince = 0;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        if (drain.holding() || !queue.isEmpty()) {
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
            if (bound != null || inbox != null) {
                throw new IllegalStateException("module " + name + " already has a consumer: "
                        + (inbox != null ? "an open inbox" : bound.key()));
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
            while (drain.running()) {
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
            Binding current = bound;
            if (current == null || !key.equals(current.key())) { // ServiceReferences are equal per registration
                return;
            }
            bound = null;
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

    /** State ACTIVE (a module is bound or an inbox open), WAITING (none, e.g. during an update) or DETACHED (none for longer). */
    ModuleInfo info(long detachedGraceNanos) {
        lock.lock();
        try {
            int depth = queue.size() + (drain.holding() && !inDelivery ? 1 : 0);
            boolean consumed = bound != null || inbox != null;
            return new ModuleInfo(name, group, consumed ? "ACTIVE" : detached(detachedGraceNanos) ? "DETACHED" : "WAITING",
                    depth, queue.capacity(), delivered.sum(), rejected.sum(), errors.sum());
        } finally {
            lock.unlock();
        }
    }

    // called by the drain task (MailboxDrain)

    /** True while a drain task may deliver: a module is bound and the mailbox is open. */
    boolean deliverable() {
        return bound != null && !closed;
    }

    /** The bound module, marked in delivery (so that an unbind waits for it), or null when none is bound. */
    Binding beginDelivery() {
        lock.lock();
        try {
            Binding current = bound;
            if (current == null || closed) {
                return null;
            }
            inDelivery = true;
            return current;
        } finally {
            lock.unlock();
        }
    }

    /** The delivery ended, or the module could not be obtained: an unbind waiting for it goes on. */
    void endDelivery() {
        lock.lock();
        try {
            inDelivery = false;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    void countDelivered() {
        delivered.increment();
    }

    void countError() {
        errors.increment();
    }

    /** The drain task ended; an inbox opening waits for that ({@link #awaitDrainEnd}). */
    void drainEnded() {
        if (inbox != null) {
            lock.lock();
            try {
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }
}
