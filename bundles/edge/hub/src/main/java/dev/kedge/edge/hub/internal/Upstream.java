package dev.kedge.edge.hub.internal;

import java.util.function.BooleanSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.kedge.core.BusException;
import dev.kedge.core.Inbox;
import dev.kedge.core.Message;
import dev.kedge.core.MessageBus;

/**
 * What EdgeHub does with upstream messages besides writing them: the messages wait in EdgeHub's own bus mailbox
 * (module {@code websocket}) until the link writes them. A sync request sent while the cloud is not connected is
 * answered at once with an {@code error} response, on the sender's thread and without being queued, so its caller
 * does not wait out its timeout; sync requests still queued when the link is lost are answered the same way. A
 * refusal is logged and counted; a full mailbox fails the send itself (the bus's send timeout, counted on the
 * mailbox). Nothing is dropped silently.
 */
final class Upstream {
    private static final Logger LOG = LoggerFactory.getLogger(Upstream.class);
    static final String NOT_CONNECTED = "cloud is not connected";

    private final MessageBus bus;
    private final HubCounters counters;
    private final BooleanSupplier connected;

    Upstream(MessageBus bus, HubCounters counters, BooleanSupplier connected) {
        this.bus = bus;
        this.counters = counters;
        this.connected = connected;
    }

    /** The mailbox's gate, on the sender's thread: false when the message was refused instead of queued. */
    boolean admit(Message m) {
        if (m.header().sync() && !connected.getAsBoolean()) {
            refuse(m, NOT_CONNECTED);
            return false;
        }
        return true;
    }

    /** While not connected (a link loss, a start): queued sync requests cannot be answered soon; fail them now. */
    void failQueuedSyncRequests(Inbox inbox) {
        for (Message m : inbox.removeIf(m -> m.header().sync())) {
            refuse(m, NOT_CONNECTED);
        }
    }

    /** Counts, logs and, for a sync request, answers with an {@code error} response. */
    void refuse(Message m, String reason) {
        counters.upstreamRejected.increment();
        LOG.error("message {} ({} {} from {}) not sent to the cloud: {}", m.id(), m.operation(), m.resource(),
                m.source(), reason);
        if (m.header().sync()) {
            try {
                bus.respond(Message.errorTo(m, reason));
            } catch (BusException e) {
                LOG.error("could not answer sync request {}: {}", m.id(), e.getMessage());
            }
        }
    }
}
