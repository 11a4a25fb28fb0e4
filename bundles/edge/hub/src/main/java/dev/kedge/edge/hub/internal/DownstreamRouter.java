package dev.kedge.edge.hub.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.kedge.core.AckPolicy;
import dev.kedge.core.BusException;
import dev.kedge.core.Message;
import dev.kedge.core.MessageBus;
import dev.kedge.core.ModuleNames;
import dev.kedge.core.Operations;

/**
 * Hands a cloud message to the edge module it is for, by KubeEdge's rules
 * ({@code edge/pkg/edgehub/process.go}, {@code messagehandler/*}): group resource/func → a sync response if it
 * has a parent id, else group meta; twin → group twin; user → a response, or eventbus / servicebus by source, else
 * group bus; taskmanager → module taskmanager. Anything else is logged and counted, never thrown.
 */
final class DownstreamRouter {
    private static final Logger LOG = LoggerFactory.getLogger(DownstreamRouter.class);

    static final String ROUTE_TASKMANAGER = "taskmanager";
    static final String TASKMANAGER = "taskmanager";
    static final String SERVICEBUS = "servicebus";
    static final String SOURCE_ROUTER_EVENTBUS = "router_eventbus";
    static final String SOURCE_ROUTER_SERVICEBUS = "router_servicebus";

    private final MessageBus bus;
    private final HubCounters counters;
    private final WaitingGroupMessages waiting;

    DownstreamRouter(MessageBus bus, HubCounters counters, WaitingGroupMessages waiting) {
        this.bus = bus;
        this.counters = counters;
        this.waiting = waiting;
    }

    /** Routes one decoded cloud message; may block up to the bus send timeout when a mailbox is full. */
    void route(Message m) {
        try {
            String failure = dispatch(m);
            if (failure != null) {
                unroutable(counters, m, failure);
            }
        } catch (BusException e) {
            unroutable(counters, m, e.reason() + ": " + e.getMessage());
        }
    }

    /** Null when delivered, else why not. */
    private String dispatch(Message m) {
        if (m.isResponse() && bus.respond(m)) {
            // as KubeEdge's isSyncResponse: an answer somebody waits for goes to the waiter, whatever its group
            ackAnswer(m);
            return null;
        }
        switch (m.group()) {
            case ModuleNames.ROUTE_RESOURCE, ModuleNames.ROUTE_FUNC -> {
                return m.isResponse() ? respond(m) : toGroup(ModuleNames.GROUP_META, m);
            }
            case ModuleNames.ROUTE_TWIN -> {
                return toGroup(ModuleNames.GROUP_TWIN, m);
            }
            case ModuleNames.ROUTE_USER -> {
                if (m.isResponse()) {
                    return respond(m);
                }
                return switch (m.source()) {
                    case SOURCE_ROUTER_EVENTBUS -> send(ModuleNames.EVENTBUS, m);
                    case SOURCE_ROUTER_SERVICEBUS -> send(SERVICEBUS, m);
                    default -> toGroup(ModuleNames.GROUP_BUS, m);
                };
            }
            case ROUTE_TASKMANAGER -> {
                return send(TASKMANAGER, m);
            }
            default -> {
                return "no edge route for group '" + m.group() + "'";
            }
        }
    }

    private String respond(Message m) {
        if (!bus.respond(m)) {
            // as beehive's SendResp: the caller gave up (timed out) or never existed; nothing else wants it
            LOG.debug("cloud response {} to {} came after its caller stopped waiting", m.id(), m.parentId());
        }
        ackAnswer(m);
        return null;
    }

    /**
     * CloudHub resends an answer that carries an object (a configmap, a secret) until it is acked, holding up the
     * node's queue: the hub acks it once handed over, whether or not the caller still waited. Answers CloudHub sends
     * fire-and-forget (registrations, leases) get no ack: it would only cost uplink.
     */
    private void ackAnswer(Message m) {
        if (Operations.RESPONSE.equals(m.operation()) && AckPolicy.needsAck(m)) {
            bus.send(ModuleNames.EDGEHUB, Message.responseTo(m, Operations.OK));
        }
    }

    private String toGroup(String group, Message m) {
        return waiting.deliver(group, m);
    }

    private String send(String module, Message m) {
        bus.send(module, m);
        return null;
    }

    /** Counted and logged: a cloud message no edge module got (also for one that waited in vain). */
    static void unroutable(HubCounters counters, Message m, String why) {
        counters.unroutable.increment();
        LOG.error("cloud message {} (source {}, group {}, {} {}) not delivered: {}", m.id(), m.source(), m.group(),
                m.operation(), m.resource(), why);
    }
}
