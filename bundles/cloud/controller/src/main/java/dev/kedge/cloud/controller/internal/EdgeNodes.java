package dev.kedge.cloud.controller.internal;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.kedge.core.BusException;
import dev.kedge.core.Message;
import dev.kedge.core.MessageBus;
import dev.kedge.core.ModuleNames;
import dev.kedge.core.Operations;
import dev.kedge.core.Resource;
import dev.kedge.core.ResourceTypes;

/**
 * Edge nodes: which labelled nodes are connected to this replica (the only ones it sends to), and what happens when
 * one joins (its pods go out), leaves, or comes back with a new database (everything goes out again).
 */
final class EdgeNodes {
    private static final Logger LOG = LoggerFactory.getLogger(EdgeNodes.class);

    private final MessageBus bus;
    private final Sends sends;
    /** Labelled edge nodes connected to this replica: the only ones this replica sends to. */
    private final Set<String> joined = ConcurrentHashMap.newKeySet();
    /**
     * Nodes connected to this replica's CloudHub. A node served by another replica gets nothing from here: its
     * CloudHub could not deliver it, and when the node comes here, what it lacks is sent from its ObjectSyncs.
     */
    private final Set<String> connected = ConcurrentHashMap.newKeySet();
    private PodSends pods;

    EdgeNodes(MessageBus bus, Sends sends) {
        this.bus = bus;
        this.sends = sends;
    }

    void sendPodsWith(PodSends podSends) {
        this.pods = podSends;
    }

    boolean isJoined(String node) {
        return joined.contains(node);
    }

    Set<String> joined() {
        return Set.copyOf(joined);
    }

    boolean isConnected(String node) {
        return connected.contains(node);
    }

    /** CloudHub's link event; true when it changes the set. */
    boolean linked(String node, boolean up) {
        return up ? connected.add(node) : connected.remove(node);
    }

    void join(String node) {
        if (!connected.contains(node) || !joined.add(node)) {
            return;
        }
        int n = pods.sendAllOf(node);
        LOG.info("edge node {} connected here; sent its {} pods (what its ObjectSyncs do not show acked)", node, n);
    }

    /** Forget what it was sent: CloudHub dropped its queue, and it may come back through another replica. */
    void disconnected(String node) {
        if (joined.remove(node)) {
            LOG.info("edge node {} left this replica", node);
        }
        sends.sent().forget(node);
    }

    void left(String node) {
        if (joined.remove(node)) {
            LOG.info("node {} is no edge node any more (deleted or unlabelled)", node);
        }
        sends.sent().forget(node);
    }

    /** The node's edge registered with a new database: its pods, configmaps and secrets go to it again. */
    void resend(String node) {
        // CloudHub too remembers what the node acked: it must let these resends through
        try {
            bus.send(ModuleNames.CLOUDHUB, Message.create(ModuleNames.EDGECONTROLLER, ModuleNames.ROUTE_RESOURCE,
                    Operations.RESYNC, Resource.cloud(node, "", ResourceTypes.NODE, node), null));
        } catch (BusException ex) {
            LOG.warn("CloudHub not told that {} has a new database ({}): objects it acked before may be held back"
                    + " until they change", node, ex.getMessage());
        }
        sends.voidLedger(node);
        joined.remove(node);
        join(node);
    }
}
