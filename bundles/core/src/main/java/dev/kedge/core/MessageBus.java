package dev.kedge.core;

import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Beehive on the service registry: routes messages to {@link Module} services by name or group, or keeps them for a
 * module that takes them itself through an {@link Inbox}.
 * Every module name owns a bounded, ordered mailbox. A full mailbox blocks the sender for at most the configured send
 * timeout, then the send fails with {@link BusException.Reason#MAILBOX_FULL}; nothing is dropped silently.
 */
@ProviderType
public interface MessageBus {

    /** Queues {@code message} for the module named {@code module}, whether or not it is running right now. */
    void send(String module, Message message);

    /** Queues a copy for every module known in {@code group}; returns how many modules got it. */
    int sendToGroup(String group, Message message);

    /**
     * Sends with {@code header.sync=true} and waits for the response whose {@code parent_msg_id} is this message's id.
     *
     * @throws BusException with {@link BusException.Reason#TIMEOUT} when none arrives in time
     */
    Message sendSync(String module, Message message, Duration timeout);

    /** Sends to every module of {@code group} and waits for the first response. */
    Message sendToGroupSync(String group, Message message, Duration timeout);

    /** Completes the {@link #sendSync} waiting for {@code response.parentId()}; false if nobody waits (any more). */
    boolean respond(Message response);

    /**
     * Takes over the mailbox of {@code module} for a module that takes its messages itself instead of registering a
     * {@link Module} service: the mailbox joins {@code group}, holds at most {@code capacity} messages from now on
     * (those queued already stay), and counts as active until the inbox is closed. While it is open, {@code admit}
     * sees every message on the sender's thread before it is queued: false means the module has dealt with the
     * message itself (answered or refused it, loudly) and it is not queued. {@code admit} must not block; null
     * admits everything.
     *
     * @throws IllegalStateException when a module service or another open inbox consumes that mailbox
     * @throws BusException with {@link BusException.Reason#CLOSED} when the bus is stopping
     */
    Inbox openInbox(String module, String group, int capacity, Predicate<Message> admit);

    /** Mailboxes known to the bus, by module name. */
    List<ModuleInfo> modules();
}
