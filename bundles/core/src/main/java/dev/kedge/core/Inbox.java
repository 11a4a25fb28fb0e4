package dev.kedge.core;

import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A module's own hold on its mailbox, for a module that takes its messages when it is ready for them (EdgeHub
 * writes them to the cloud while the link is up) instead of being handed them through {@link Module#receive}. Got
 * from {@link MessageBus#openInbox}; the mailbox stays the bus's: what is queued, or put back, when the inbox is
 * closed waits for the next one opened under the same name, so an updated bundle picks up where the old one
 * stopped. Every wait is bounded.
 */
@ProviderType
public interface Inbox extends AutoCloseable {

    /**
     * The oldest message, waiting at most {@code wait}; null on timeout, or as soon as {@code stop} is true (checked
     * whenever a message arrives or {@link #wake} is called, so a wake after {@code stop} became true is never
     * missed). The message is the caller's from now on: handled, or {@link #putBack put back}.
     *
     * @throws BusException with {@link BusException.Reason#CLOSED} when this inbox or the bus is closed
     */
    Message poll(Duration wait, BooleanSupplier stop) throws InterruptedException;

    /** Puts a message taken but not handled back at the front, whatever the bound; it is the next one taken. */
    void putBack(Message message);

    /** Removes and returns the queued messages matching {@code filter}, in order; the caller answers for them. */
    List<Message> removeIf(Predicate<Message> filter);

    /** Makes a {@link #poll} waiting now re-check its stop condition. */
    void wake();

    /** The mailbox as {@link MessageBus#modules} shows it: depth, bound, messages taken, sends refused. */
    ModuleInfo info();

    /**
     * Gives the mailbox back: it keeps its messages (and the bound) and its senders wait as for a module being
     * updated. A {@link #poll} waiting now ends. Idempotent.
     */
    @Override
    void close();
}
