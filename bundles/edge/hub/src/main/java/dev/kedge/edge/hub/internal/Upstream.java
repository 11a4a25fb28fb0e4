package dev.kedge.edge.hub.internal;

import java.time.Duration;
import java.util.function.BooleanSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.kedge.core.BusException;
import dev.kedge.core.Message;
import dev.kedge.core.MessageBus;

/**
 * What EdgeHub does with a message the bus delivers to module {@code websocket}: queue it in the outbox for the
 * writer. A sync request while the cloud is not connected is answered at once with an {@code error} response, so
 * its caller does not wait out its timeout; a message that finds the outbox full for the whole wait is refused with
 * an error log and a counter (and an error response if it is a sync request). Nothing is dropped silently.
 */
final class Upstream {
    private static final Logger LOG = LoggerFactory.getLogger(Upstream.class);
    static final String NOT_CONNECTED = "cloud is not connected";

    private final MessageBus bus;
    private final Outbox outbox;
    private final HubCounters counters;
    private final BooleanSupplier connected;
    private volatile Duration wait;

    Upstream(MessageBus bus, Outbox outbox, HubCounters counters, BooleanSupplier connected, Duration wait) {
        this.bus = bus;
        this.outbox = outbox;
        this.counters = counters;
        this.connected = connected;
        this.wait = wait;
    }

    void setWait(Duration wait) {
        this.wait = wait;
    }

    /** Called on the bus thread of module {@code websocket}; blocks at most the outbox wait. */
    void accept(Message m) {
        if (m.header().sync() && !connected.getAsBoolean()) {
            refuse(m, NOT_CONNECTED);
            return;
        }
        try {
            if (!outbox.offer(m, wait)) {
                refuse(m, "EdgeHub outbox full: " + outbox.size() + " messages wait for the cloud (waited "
                        + wait.toMillis() + " ms)");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            refuse(m, "EdgeHub is stopping");
        }
    }

    /** After a link loss: queued sync requests cannot be answered soon, so their callers get an error now. */
    void failQueuedSyncRequests() {
        for (Message m : outbox.removeIf(m -> m.header().sync())) {
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
