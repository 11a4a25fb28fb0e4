package dev.kedge.core.internal;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

import dev.kedge.core.BusException;
import dev.kedge.core.Inbox;
import dev.kedge.core.Message;
import dev.kedge.core.ModuleInfo;

/** A module's hold on its {@link Mailbox} while it takes its messages itself; the messages stay the mailbox's. */
final class MailboxInbox implements Inbox {
    private final Mailbox mailbox;
    private final LongSupplier detachedGraceNanos;
    private volatile boolean closed;

    MailboxInbox(Mailbox mailbox, LongSupplier detachedGraceNanos) {
        this.mailbox = mailbox;
        this.detachedGraceNanos = detachedGraceNanos;
    }

    @Override
    public Message poll(Duration wait, BooleanSupplier stop) throws InterruptedException {
        checkOpen();
        Message m = mailbox.queue().poll(wait.toNanos(), () -> closed || mailbox.closed() || stop.getAsBoolean());
        if (m == null) {
            checkOpen(); // woken by a close: say so, or a caller looping on poll would spin
            return null;
        }
        mailbox.taken(1);
        return m;
    }

    @Override
    public void putBack(Message message) {
        mailbox.queue().pushFront(Objects.requireNonNull(message, "message"));
        mailbox.taken(-1);
    }

    @Override
    public List<Message> removeIf(Predicate<Message> filter) {
        return mailbox.queue().removeIf(filter);
    }

    @Override
    public void wake() {
        mailbox.queue().wake();
    }

    @Override
    public ModuleInfo info() {
        return mailbox.info(detachedGraceNanos.getAsLong());
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            mailbox.release(this);
        }
    }

    private void checkOpen() {
        if (closed || mailbox.closed()) {
            throw new BusException(BusException.Reason.CLOSED, "the inbox of module " + mailbox.name() + " is closed");
        }
    }
}
