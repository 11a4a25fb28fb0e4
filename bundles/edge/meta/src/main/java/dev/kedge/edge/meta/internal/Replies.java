package dev.kedge.edge.meta.internal;

import java.util.concurrent.Executor;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.kedge.core.BusException;
import dev.kedge.core.Message;
import dev.kedge.core.MessageBus;
import dev.kedge.core.MessageHeader;
import dev.kedge.core.MessageRoute;
import dev.kedge.core.ModuleNames;
import dev.kedge.core.Operations;

/** What MetaManager sends: acks and forwards to the cloud, forwards to edged, answers to edge modules. */
final class Replies {
    private static final Logger LOG = LoggerFactory.getLogger(Replies.class);

    private final MessageBus bus;
    private final MetaCounters counters;
    /** Hand-overs to edged run on their own thread: a busy or updating edged must not hold up the acks. */
    private final Executor toEdged;

    Replies(MessageBus bus, MetaCounters counters) {
        this(bus, counters, Runnable::run);
    }

    Replies(MessageBus bus, MetaCounters counters, Executor toEdged) {
        this.bus = bus;
        this.counters = counters;
        this.toEdged = toEdged;
    }

    /** The ack CloudHub waits for: {@code response} / {@code "OK"} with parent = the cloud message. */
    void ack(Message m) {
        try {
            bus.send(ModuleNames.EDGEHUB, Message.responseTo(m, Operations.OK));
            counters.acks.increment();
        } catch (BusException e) {
            LOG.error("ack of {} ({} {}) not sent: {}; the cloud will resend it", m.id(), m.operation(), m.resource(),
                    e.getMessage());
        }
    }

    /** Hands a committed cloud message to edged; no edged installed is fine. */
    void toEdged(Message m) {
        toEdged.execute(() -> {
            try {
                bus.sendToGroup(ModuleNames.GROUP_EDGED, m);
            } catch (BusException e) {
                LOG.error("cloud message {} ({} {}) stored but not handed to edged: {}", m.id(), m.operation(),
                        m.resource(), e.getMessage());
            }
        });
    }

    /**
     * Hands a committed DeviceController object to DeviceTwin, routed as KubeEdge's MetaManager does
     * ({@code SetRoute(meta, twin)}); no DeviceTwin installed is fine.
     */
    void toTwin(Message m) {
        toEdged.execute(() -> {
            try {
                bus.sendToGroup(ModuleNames.GROUP_TWIN, new Message(m.header(), new MessageRoute(
                        ModuleNames.GROUP_META, "", ModuleNames.GROUP_TWIN, m.operation(), m.resource()),
                        m.content()));
            } catch (BusException e) {
                LOG.error("cloud message {} ({} {}) stored but not handed to DeviceTwin: {}", m.id(), m.operation(),
                        m.resource(), e.getMessage());
            }
        });
    }

    /** Forwards an edge message to the cloud, as a copy of its own (see {@link #copyForCloud}). */
    void toCloud(Message m) {
        try {
            bus.send(ModuleNames.EDGEHUB, copyForCloud(m, false));
            counters.toCloud.increment();
        } catch (BusException e) {
            LOG.error("edge message {} ({} {} from {}) not forwarded to the cloud: {}", m.id(), m.operation(),
                    m.resource(), m.source(), e.getMessage());
        }
    }

    /**
     * A copy with a new id. The bus matches responses by parent id: reusing the edge module's id would let the
     * cloud's answer (or EdgeHub's "not connected") reach that module directly, or replace its waiter.
     */
    static Message copyForCloud(Message m, boolean sync) {
        MessageHeader h = m.header();
        return new Message(new MessageHeader(Message.newId(), "", System.currentTimeMillis(), h.resourceVersion(), sync,
                h.type()), m.route(), m.content());
    }

    /** Answers an edge module: to its {@code sendSync} if it waits, else to its mailbox. */
    void answer(Message request, Object content) {
        deliver(request, Message.responseTo(request, content));
    }

    void error(Message request, String reason) {
        deliver(request, Message.errorTo(request, reason));
    }

    private void deliver(Message request, Message reply) {
        try {
            if (request.header().sync()) {
                if (!bus.respond(reply)) {
                    LOG.debug("answer to {} came after its caller stopped waiting", request.id());
                }
            } else if (!request.source().isEmpty()) {
                bus.send(request.source(), reply);
            }
        } catch (BusException e) {
            LOG.error("answer to {} ({} {} from {}) not delivered: {}", request.id(), request.operation(),
                    request.resource(), request.source(), e.getMessage());
        }
    }
}
