package dev.kedge.cloud.hub.internal;

import java.util.Set;
import java.util.concurrent.atomic.LongAdder;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.kedge.core.BusException;
import dev.kedge.core.Message;
import dev.kedge.core.MessageBus;
import dev.kedge.core.ModuleInfo;
import dev.kedge.core.ModuleNames;
import dev.kedge.core.Operations;
import dev.kedge.core.Resource;

/**
 * KubeEdge's upstream dispatch ({@code DispatchUpstream}): keepalives refresh the session, responses are acks,
 * everything else gets the {@code node/<id>/} prefix and goes to the controller named by its source. A controller
 * that is not running gets nothing (counted): the hub never blocks a connection on a module that is not there.
 */
final class UpstreamRouter {
    private static final Logger LOG = LoggerFactory.getLogger(UpstreamRouter.class);
    private static final long MODULE_CACHE_NANOS = 1_000_000_000L;

    final LongAdder routed = new LongAdder();
    final LongAdder unroutable = new LongAdder();
    final LongAdder edgeErrors = new LongAdder();
    private final MessageBus bus;
    private volatile Set<String> active = Set.of();
    private volatile long activeAt;

    UpstreamRouter(MessageBus bus) {
        this.bus = bus;
    }

    void route(Node node, Message m) {
        switch (m.operation()) {
            case Operations.KEEPALIVE -> {
                return; // any frame already refreshed the session
            }
            case Operations.RESPONSE -> {
                if (!m.parentId().isEmpty()) {
                    Message acked = node.acked(m.parentId());
                    if (acked != null) {
                        recordDelivery(acked);
                    }
                    bus.respond(m); // a cloud module may be waiting in sendSync
                    return;
                }
            }
            case Operations.ERROR -> {
                edgeErrors.increment();
                LOG.warn("node {} reported an error for {}: {}", node.name, m.parentId(), m.contentAsString());
                bus.respond(m);
                return;
            }
            default -> {
            }
        }
        String target = switch (m.source()) {
            case ModuleNames.TWIN -> ModuleNames.DEVICECONTROLLER;
            case ModuleNames.METASERVER -> "dynamiccontroller";
            default -> ModuleNames.EDGECONTROLLER;
        };
        if (!isActive(target)) {
            unroutable.increment();
            LOG.debug("no {} running: upstream {} {} from {} not delivered", target, m.operation(), m.resource(),
                    node.name);
            return;
        }
        try {
            bus.send(target, m.withResource(Resource.prefixNode(node.name, m.resource())));
            routed.increment();
        } catch (BusException e) {
            unroutable.increment();
            LOG.error("upstream {} {} from {} not delivered: {}", m.operation(), m.resource(), node.name,
                    e.getMessage());
        }
    }

    /**
     * Tells SyncController that the edge acked an object (KubeEdge's CloudHub writes the ObjectSync itself): the acked
     * message as it was queued — cloud resource, operation, resourceversion, object — with source {@code cloudhub}.
     */
    private void recordDelivery(Message acked) {
        if (acked.isResponse() || !ModuleNames.ROUTE_RESOURCE.equals(acked.group())
                || !isActive(ModuleNames.SYNCCONTROLLER)) {
            return;
        }
        try {
            bus.send(ModuleNames.SYNCCONTROLLER, Message.create(ModuleNames.CLOUDHUB, acked.group(),
                    acked.operation(), acked.resource(), acked.content())
                    .withResourceVersion(acked.header().resourceVersion()));
        } catch (BusException e) {
            LOG.warn("ack of {} {} not recorded by {}: {}", acked.operation(), acked.resource(),
                    ModuleNames.SYNCCONTROLLER, e.getMessage());
        }
    }

    /** Tells controllers a node came or went ({@code connected}/{@code disconnected}, KubeEdge's content shape). */
    void linkEvent(String node, boolean connected) {
        String op = connected ? Operations.CONNECTED : Operations.DISCONNECTED;
        var content = dev.kedge.core.MessageCodec.mapper().createObjectNode()
                .put("event_type", op).put("timestamp", System.currentTimeMillis()).put("client_id", node);
        Message m = Message.create(ModuleNames.CLOUDHUB, ModuleNames.ROUTE_RESOURCE, op, "node/" + node, content);
        // SyncController too: it resends only to the nodes connected to this replica
        for (String controller : new String[] {ModuleNames.EDGECONTROLLER, ModuleNames.DEVICECONTROLLER,
                ModuleNames.SYNCCONTROLLER}) {
            if (isActive(controller)) {
                try {
                    bus.send(controller, m);
                } catch (BusException e) {
                    LOG.warn("{} event of {} not delivered to {}: {}", op, node, controller, e.getMessage());
                }
            }
        }
    }

    private boolean isActive(String module) {
        long now = System.nanoTime();
        if (now - activeAt > MODULE_CACHE_NANOS) {
            Set<String> names = new java.util.HashSet<>();
            for (ModuleInfo info : bus.modules()) {
                if ("ACTIVE".equals(info.state())) {
                    names.add(info.name());
                }
            }
            active = names;
            activeAt = now;
        }
        return active.contains(module);
    }
}
