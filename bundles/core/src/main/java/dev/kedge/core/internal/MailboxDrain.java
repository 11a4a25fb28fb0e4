package dev.kedge.core.internal;

import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.kedge.core.Message;
import dev.kedge.core.Module;

/**
 * The drain task of one {@link Mailbox}. While the mailbox has messages and a module, one task at a time runs on the
 * bus's pool and empties it, then lingers a moment for more (a burst keeps its thread, as a thread per mailbox did)
 * and ends. A message taken from the queue is kept as {@code head} until delivered (back at the queue's front if the
 * module went away meanwhile), so an update never loses or repeats one.
 */
final class MailboxDrain implements Runnable {
    /** The mailbox's category: one place to look for what happened to a module's messages. */
    private static final Logger LOG = LoggerFactory.getLogger(Mailbox.class);
    /** How long an emptied mailbox keeps its thread for the next message: restarting a drain costs a hand-over. */
    static final long LINGER_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private final Mailbox mailbox;
    private final MessageQueue queue;
    private final Executor drainers;
    /** True from the moment a drain task is handed to the pool until it has seen an empty queue (or no module). */
    private final AtomicBoolean draining = new AtomicBoolean();
    // owned by the running task (one at a time; handed over through the draining flag)
    /** Taken from the queue, not yet delivered (no module when it was taken); volatile for bind and info. */
    private volatile Message head;
    private Object resolvedKey;
    private Module resolvedModule;

    MailboxDrain(Mailbox mailbox, MessageQueue queue, Executor drainers) {
        this.mailbox = mailbox;
        this.queue = queue;
        this.drainers = drainers;
    }

    /**
     * Starts the task unless it runs. Race-free with a task that is ending: that task clears {@code draining} before
     * it looks at the queue and the mailbox's module a last time (see {@link #run}).
     */
    void start() {
        if (draining.get() || !draining.compareAndSet(false, true)) {
            return;
        }
        try {
            drainers.execute(this);
        } catch (RejectedExecutionException stopping) { // the bus is closing
            draining.set(false);
        }
    }

    /** True from the moment the task is handed to the pool until it ends. */
    boolean running() {
        return draining.get();
    }

    /** True while a message taken from the queue waits for its delivery. */
    boolean holding() {
        return head != null;
    }

    /** Delivers until the queue is empty or no module is bound, then gives the thread back. */
    @Override
    public void run() {
        Thread self = Thread.currentThread();
        String poolName = self.getName();
        self.setName("kedge-bus-" + mailbox.name()); // thread dumps show which module a busy thread serves
        try {
            do {
                drain();
                draining.set(false);
                // a sender that saw draining == true before we cleared it left its message to us
            } while ((head != null || !queue.isEmpty()) && mailbox.deliverable()
                    && draining.compareAndSet(false, true));
        } finally {
            self.setName(poolName);
            mailbox.drainEnded();
        }
    }

    private void drain() {
        while (!mailbox.closed()) {
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
            mailbox.countDelivered();
        } catch (Exception | LinkageError | AssertionError | StackOverflowError e) { // must not end the drain
            mailbox.countError();
            LOG.error("module {} failed on message {} ({} {}): {}", mailbox.name(), message.id(), message.operation(),
                    message.resource(), e.toString(), e);
        } finally {
            head = null;
            mailbox.endDelivery();
        }
    }

    /** The bound module, marked in delivery (so that an unbind waits for us), or null when none is bound. */
    private Module startDelivery() {
        while (true) {
            Mailbox.Binding binding = mailbox.beginDelivery();
            if (binding == null) {
                return null;
            }
            if (!binding.key().equals(resolvedKey)) {
                resolvedModule = binding.resolver().get(); // may activate the module's component: outside the lock
                resolvedKey = resolvedModule == null ? null : binding.key();
            }
            if (resolvedModule != null) {
                return resolvedModule;
            }
            mailbox.endDelivery();
            LOG.warn("module {} is registered but its service cannot be obtained yet; retrying", mailbox.name());
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                return null; // the bus is stopping its pool
            }
        }
    }
}
