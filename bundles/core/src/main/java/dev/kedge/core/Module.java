package dev.kedge.core;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A beehive module, registered as an OSGi service with the properties {@value #NAME} and {@value #GROUP}.
 * The bus owns the module's mailbox and calls {@link #receive} from one thread per module, in order; the mailbox
 * outlives the service, so a module whose bundle is updated gets the messages queued meanwhile. A module that would
 * rather take its messages when it is ready for them opens an {@link Inbox} instead ({@link MessageBus#openInbox}).
 */
@ConsumerType
public interface Module {
    /** Service property: the beehive module name, e.g. {@code metamanager}. */
    String NAME = "kedge.module";
    /** Service property: the beehive group, e.g. {@code meta}. */
    String GROUP = "kedge.group";

    /**
     * Handles one message. Must not block for long: it holds up this module's mailbox. An exception is logged and
     * counted as an error for this module; the message is not redelivered.
     */
    void receive(Message message);
}
